"""What the demo promises (README), checked per app on one `seed_demo` run.

Seeding takes most of a minute, so it runs once for this module: the official units and the
demo are made inside one transaction that is rolled back when the module is done, and each
test's own transaction nests inside it (a savepoint), as Django's `TestCase.setUpTestData`
does. A test may therefore change the demo (the reset test removes it): the next test sees
it whole again. The module's tests all go to one pytest-xdist worker (`ONE_WORKER` in
tests/conftest.py), so the demo is built once per run, not once per worker.

A new app's demo part gets its own `test_<app>_demo` here.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from teams.official_units import units_import

    with django_db_blocker.unblock(), transaction.atomic():
        units_import()
        call_command("seed_demo", "--force")
        yield
        transaction.set_rollback(True)


# --- teams: users, areas, rosters --------------------------------------------------------------


def demo_usernames() -> set[str]:
    from mediation.demo import DEMO_USERS as MEDIATION_DEMO_USERS
    from safe_areas.demo import USERNAMES as SAFE_AREAS_USERS
    from teams.demo import DEMO_USERS

    mediation_users = {u[0] for u in MEDIATION_DEMO_USERS}
    return {u.username for u in DEMO_USERS} | {"admin"} | set(SAFE_AREAS_USERS) | mediation_users


def test_demo_users_are_the_personas_of_every_app(demo):
    from teams.models import User

    assert set(User.objects.values_list("username", flat=True)) == demo_usernames()
    canbo_ct = User.objects.get(username="canbo_ct")
    assert canbo_ct.assignments.get().unit.jurisdiction == "94"


def test_demo_areas_have_realistic_households(demo):
    from teams.models import ResidentialArea

    households = list(ResidentialArea.objects.values_list("households", flat=True))
    assert min(households) >= 100 and max(households) <= 1200


def test_rosters_demo(demo):
    """Every demo area has a team that fits its quota, with valid, realistic members."""
    from rules import cccd
    from teams import selectors
    from teams.demo import BIRTH_PROVINCE, demo_communes
    from teams.models import Membership, Person, ResidentialArea, Team

    # (the villages of Xã Kon Braih belong to the safe_areas demo and have no team)
    for area in ResidentialArea.objects.filter(commune__in=demo_communes()).select_related(
        "commune"
    ):
        [team] = Team.objects.filter(areas=area, status="active")
        size = team.memberships.filter(end_date__isnull=True).count()
        start = team.memberships.order_by("start_date").first().start_date
        quota = selectors.team_quota(team=team, on=start)
        assert size == (quota.members if quota.members is not None else 3), area
    legacy_end, new_start = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)
    for m in Membership.objects.select_related("person", "team__commune"):
        person, commune = m.person, m.team.commune
        assert cccd.problems(person.cccd, birth_date=person.birth_date, sex=person.sex) == []
        assert person.cccd[:3] == BIRTH_PROVINCE[commune.jurisdiction]
        if commune.tree == "legacy":
            assert datetime.date(2024, 7, 1) <= m.start_date <= legacy_end
            assert m.end_date is None or m.end_date <= legacy_end
        else:
            assert m.start_date >= new_start
    ended = Membership.objects.filter(end_date__isnull=False)
    assert ended.exists() and set(ended.values_list("end_ground", flat=True)) <= {"a", "b"}
    assert ended.filter(team__commune__tree="legacy").exists()
    assert Membership.objects.exclude(concurrent_posts=[]).count() >= 5
    khmer = Person.objects.filter(memberships__team__commune__jurisdiction="94", ethnicity="Khmer")
    assert khmer.filter(full_name__regex=r"^(Thạch|Sơn|Danh|Kim|Lâm|Lý|Châu) ").exists()
    assert Person.objects.filter(full_name__startswith="Nguyễn ").count() > 40


# --- the other apps' parts ---------------------------------------------------------------------


def test_allowances_demo(demo):
    """A year of approved runs in old Phú Thọ, the queue in new Cần Thơ, one arrears line."""
    from allowances.models import AllowanceLine, AllowanceRun, LineKind, RunState

    runs = AllowanceRun.objects.select_related("commune")
    legacy = [r for r in runs if r.commune.tree == "legacy"]
    assert len(legacy) == 7 * 12
    assert all(r.state in (RunState.APPROVED, RunState.PAID) for r in legacy)
    assert runs.filter(state=RunState.SUBMITTED, commune__code="31567").count() == 1
    assert AllowanceLine.objects.filter(kind=LineKind.ARREARS, run__commune__code="31441").exists()
    returned = runs.get(commune__code="08500", month="2024-09-01").actions.filter(
        to_state=RunState.RETURNED
    )
    assert returned.get().comment


def test_insurance_demo(demo):
    """Quarters walked through the procedure in Lâm Thao and Mỹ Tú, one list returned."""
    from insurance.models import FundingLine, FundingList, Incident, ListState, VsiEnrolment

    lists = FundingList.objects.select_related("commune")
    assert VsiEnrolment.objects.count() > 20
    assert lists.filter(commune__code="08497", state=ListState.SETTLED).count() == 4
    assert lists.filter(commune__code="31567", state=ListState.ADVANCED).count() == 1
    assert lists.filter(state=ListState.SIGNED).count() == 1
    assert not FundingLine.objects.exclude(error="").exists()
    returned = lists.get(commune__code="08500", quarter="2024-10-01").actions.filter(
        to_state=ListState.RETURNED
    )
    assert returned.get().comment
    assert lists.exclude(carried_in=0).exists()
    assert Incident.objects.filter(state="approved").count() == 1


def test_safe_areas_demo(demo):
    """Xã Kon Braih: 2025 complete (Thôn 4 failed by a recorded event), 2026 open; Mỹ Tú 2025."""
    from safe_areas import selectors
    from safe_areas.models import AreaYear, CommuneYear, YearState

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


# --- running it again ---------------------------------------------------------------------------


def test_a_second_seed_keeps_what_is_there(demo):
    from teams.models import User

    call_command("seed_demo", "--force")
    assert User.objects.count() == len(demo_usernames())


def test_reset_then_seed_gives_the_same_people_and_no_history_left_over(demo):
    """What --reset does, then the same seed again. (Only the roster part is rebuilt here:
    re-running the allowance part would double this test's time and exercises no other code.)"""
    from allowances import demo as allowances_demo
    from allowances.models import AllowanceRun
    from insurance import demo as insurance_demo
    from mediation import demo as mediation_demo
    from reporting import demo as reporting_demo
    from safe_areas import demo as safe_areas_demo
    from teams import demo as teams_demo
    from teams.models import Person, ResidentialArea, User

    # The roster's people (the mediation demo adds mediators who are on no roster).
    roster_people = Person.objects.filter(memberships__isnull=False).distinct()
    people = sorted(roster_people.values_list("cccd", "full_name"))
    mediation_demo.remove_mediation()  # in the order of seed_demo --reset
    safe_areas_demo.remove_safe_areas()
    areas = ResidentialArea.objects.count()  # (the safe_areas demo's villages are gone)
    reporting_demo.remove_reports()
    insurance_demo.remove_insurance()
    allowances_demo.remove_runs()
    teams_demo.remove_demo()
    assert not AllowanceRun.objects.exists() and not User.objects.exists()
    rng = random.Random(2024)
    teams_demo.seed_areas_and_users(rng=rng)
    teams_demo.seed_rosters(rng=rng)
    assert ResidentialArea.objects.count() == areas
    assert sorted(roster_people.values_list("cccd", "full_name")) == people
    assert Person.history.count() == Person.objects.count()
