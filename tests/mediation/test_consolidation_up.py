"""Consolidation up the tree: the table of the units below a province or a district is computed
in a fixed number of queries (one grouped count of the cases, one of the teams, the plans at
once), gives the same figures as each unit's own indicators, and the page's query count does not
grow with the number of communes."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mediation import selectors
from mediation.models import MediationPlan, Outcome
from teams.models import Role, Tree, UnitKind
from tests.builders import link, make_area, make_unit, make_user
from tests.mediation.helpers import record_case, standard_team

D = datetime.date
pytestmark = pytest.mark.django_db
YEAR = 2026


def _plan(unit, success_target=85):
    return MediationPlan.objects.create(
        unit=unit, number=f"{unit.code}/KH-UBND", signed_on=D(2021, 11, 16), title="Kế hoạch",
        issuer=f"UBND {unit.name}", first_year=2021, last_year=2030,
        consolidated_target=95, consolidated_strict=True, success_target=success_target,
        success_strict=False, secretary_target=100,
    )  # fmt: skip


_made = iter(range(1, 10_000))


def _commune(parent, actor, *, successes=2, failures=1, tree=Tree.CURRENT):
    n = next(_made)
    commune = make_unit(f"9{n:04d}", f"Xã Thử {n}", UnitKind.XA, parent=parent, tree=tree,
                        jurisdiction="94")  # fmt: skip
    area = make_area(commune, f"Ấp {n}", 300)
    team, mediators = standard_team(commune, area, actor, name=f"Tổ hòa giải ấp {n}")
    for outcome, count in ((Outcome.SUCCESS, successes), (Outcome.FAILURE, failures)):
        for _i in range(count):
            record_case(team, actor, mediators, received=D(YEAR, 3, 2), outcome=outcome,
                        closed=D(YEAR, 3, 9))  # fmt: skip
    record_case(team, actor, mediators, received=D(YEAR, 4, 1))  # open
    return commune


def _grow(province, actor, total):
    while province.children.count() < total:
        _commune(province, actor, successes=province.children.count() % 4)


def _as_tuple(ind):
    return (
        ind.teams, ind.consolidated.numerator, ind.success.numerator, ind.success.denominator,
        ind.secretary.numerator, ind.below_composition, ind.received, ind.open_cases,
        ind.out_of_scope, ind.plan.pk if ind.plan else None, ind.success.met,
    )  # fmt: skip


def test_the_grouped_table_matches_each_units_own_indicators(world):
    """A province of the old tree (districts, then communes) and of the new one (communes): the
    grouped figures equal those computed unit by unit, and each child gets its own plan (its
    own, an ancestor's, a predecessor's, or none)."""
    actor = make_user("tuphap_thu")
    old = make_unit("95", "Tỉnh Thử (cũ)", UnitKind.TINH)
    district_a = make_unit("950", "Huyện A", UnitKind.HUYEN, parent=old)
    district_b = make_unit("951", "Huyện B", UnitKind.HUYEN, parent=old)
    for district, n in ((district_a, 3), (district_b, 2)):
        for i in range(n):
            _commune(district, actor, successes=i, failures=1, tree=Tree.LEGACY)
    _plan(district_a, success_target=60)
    new = make_unit("96", "Tỉnh Thử", UnitKind.TINH, tree=Tree.CURRENT)
    communes = [_commune(new, actor, successes=i) for i in range(4)]
    own = _plan(communes[1], success_target=90)
    old_commune = district_b.children.order_by("pk").first()
    link(old_commune, communes[2])  # the old commune became part of the new one
    below_b = _plan(old_commune, success_target=70)

    window = selectors.year_window(YEAR)
    for unit in (old, new):
        rows = selectors.children_rows(unit=unit, year=YEAR)
        assert [r["unit"].pk for r in rows] == list(
            unit.children.order_by("name").values_list("pk", flat=True)
        )
        for row in rows:
            alone = selectors.indicators(unit=row["unit"], window=window, year=YEAR)
            assert _as_tuple(row["indicators"]) == _as_tuple(alone), row["unit"].name
    new_rows = {r["unit"].pk: r["indicators"] for r in selectors.children_rows(unit=new, year=YEAR)}
    assert new_rows[communes[1].pk].plan == own
    assert new_rows[communes[2].pk].plan == below_b  # its predecessor's plan carries on
    assert new_rows[communes[0].pk].plan is None  # no plan: no targets, not guessed
    assert new_rows[communes[0].pk].success.met is None
    old_rows = {r["unit"].pk: r["indicators"] for r in selectors.children_rows(unit=old, year=YEAR)}
    assert (old_rows[district_a.pk].teams, old_rows[district_b.pk].teams) == (3, 2)
    assert old_rows[district_a.pk].success.numerator == 0 + 1 + 2
    assert old_rows[district_a.pk].plan.unit == district_a
    assert old_rows[district_b.pk].plan == below_b  # the plan made for a commune below it
    _plan(new, success_target=80)
    assert selectors.plan_for(communes[2], YEAR).unit == new  # its province's plan comes first


def test_the_table_takes_the_same_number_of_queries_for_2_and_20_communes(world):
    actor = make_user("tuphap_thu")
    province = make_unit("97", "Tỉnh Đếm", UnitKind.TINH, tree=Tree.CURRENT)
    _plan(province)
    counts = []
    for total in (2, 20):
        _grow(province, actor, total)
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.children_rows(unit=province, year=YEAR)
        assert len(rows) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 6


def test_the_province_page_takes_the_same_number_of_queries_for_2_and_20_communes(world):
    actor = make_user("tuphap_thu")
    province = make_unit("98", "Tỉnh Trang", UnitKind.TINH, tree=Tree.CURRENT)
    client = Client()
    client.force_login(make_user("sotuphap_thu", (Role.JUSTICE_OFFICE, province)))
    counts = []
    for total in (2, 20):
        _grow(province, actor, total)
        for url in (
            reverse("mediation-home", args=[province.pk]),
            reverse("mediation-report", args=[province.pk, YEAR]),
        ):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"nam": YEAR})
            assert response.status_code == 200
            assert "Xã Thử" in response.content.decode()
            counts.append((url, len(queries)))
    assert counts[:2] == counts[2:], counts
