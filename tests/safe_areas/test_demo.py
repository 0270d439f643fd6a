"""What the demo promises (README): checked by tests/teams/test_official_units.py after
`seed_demo`, which needs the official units."""

from __future__ import annotations

from safe_areas import selectors
from safe_areas.models import AreaYear, CommuneYear, YearState


def check_demo_safe_areas():
    years = AreaYear.objects.filter(commune__code="23497")
    assert years.filter(year=2025, state=YearState.RECOGNISED).count() == 5
    failed = years.get(year=2025, state=YearState.NOT_RECOGNISED)
    assert failed.area.name == "Thôn 4" and failed.events.get().criterion == "KDC-3e"
    assert [o.criterion.code for o in selectors.evaluate(failed).failed] == ["KDC-3e"]
    commune_year = CommuneYear.objects.get(commune__code="23497", year=2025)
    assert commune_year.state == YearState.RECOGNISED
    assert commune_year.deciding_unit.code == "51"
    # open work today: one decision waiting, one review waiting, four self-assessments to send
    open_2026 = dict(years.filter(year=2026).values_list("area__name", "state"))
    assert open_2026["Thôn 1"] == YearState.REVIEWED
    assert open_2026["Thôn 2"] == YearState.ASSESSED
    assert list(open_2026.values()).count(YearState.REGISTERED) == 4
    assert AreaYear.objects.filter(commune__code="31567", year=2025).exists()
