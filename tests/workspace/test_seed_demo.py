"""What the demo promises (README), checked per app on one `seed_demo` run.

Seeding takes ~13 s of CPU, so it is done once and kept (tests/demo_cache.py): the official
units and the demo are seeded into a copy that later runs reuse while the sources it is made
of, the migrations and the date stay the same (`ANTT_TEST_DB_CACHE=off` seeds every time). The
module's worker is switched to the copy for the module and back to its own database after it.
The module's tests run inside one transaction that is rolled back when the module is done, and
each test's own transaction nests inside it (a savepoint), as Django's `TestCase.setUpTestData`
does. A test may therefore change the demo (the reset test removes it): the next test sees
it whole again. The module's tests all go to one pytest-xdist worker (`ONE_WORKER` in
tests/conftest.py), so the demo is switched to (or built) once per run, not once per worker.

A new app's demo part gets its own `test_<app>_demo` here.
"""

from __future__ import annotations

import datetime
import random
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once and kept while its sources stay the same (tests/demo_cache.py),
    with each test in a transaction inside the module's, as described above."""
    from tests.demo_cache import demo_database

    with django_db_blocker.unblock(), demo_database(_seed) as seeded, transaction.atomic():
        yield seeded
        transaction.set_rollback(True)


def _seed() -> dict:
    from allowances import services as allowance_services
    from teams.official_units import units_import

    # Counted while seeding: how many times the allowance runs are written (one per month).
    writes = mock.patch.object(
        allowance_services, "_write_runs", wraps=allowance_services._write_runs
    )
    units_import()
    with writes as write_runs:
        call_command("seed_demo", "--force")
    _check_deferred_constraints_once()
    return {"run_writes": write_runs.call_count}


def _check_deferred_constraints_once():
    """PostgreSQL checks the foreign keys (all DEFERRABLE INITIALLY DEFERRED) of the rows
    written so far here, once: each test's teardown checks them again otherwise (Django's
    TestCase does, in the test's savepoint, whose rollback makes the checks pending again),
    ~0.3 s a test for the demo's rows. A broken key fails here, as it would have there."""
    from django.db import connection

    connection.check_constraints()


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
    from teams.models import EndGround, Membership, Person, ResidentialArea, Team

    # (the villages of Xã Kon Braih belong to the safe_areas demo and have no team)
    areas = ResidentialArea.objects.filter(commune__in=demo_communes()).select_related("commune")
    # The parameter tables read once per jurisdiction, not once per team (as the demo does).
    with selectors.parameters_cache():
        for area in areas:
            [team] = Team.objects.filter(areas=area, status="active")
            # Counted on the commune's last day: an old commune's members carried over in 2025
            # ended there on 30/06/2025.
            last_day = area.commune.valid_to or datetime.date.today()
            size = (
                team.memberships.filter(start_date__lte=last_day)
                .exclude(end_date__lt=last_day)
                .count()
            )
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
    assert ended.exists() and set(ended.values_list("end_ground", flat=True)) <= {
        "a",
        "b",
        EndGround.REORGANISATION,
    }
    assert ended.filter(team__commune__tree="legacy").exists()
    assert Membership.objects.exclude(concurrent_posts=[]).count() >= 5
    khmer = Person.objects.filter(memberships__team__commune__jurisdiction="94", ethnicity="Khmer")
    assert khmer.filter(full_name__regex=r"^(Thạch|Sơn|Danh|Kim|Lâm|Lý|Châu) ").exists()
    assert Person.objects.filter(full_name__startswith="Nguyễn ").count() > 40


# --- the other apps' parts ---------------------------------------------------------------------


def test_allowances_demo(demo):
    """A year of approved runs in old Phú Thọ, the queue in new Cần Thơ, one arrears line."""
    from allowances.models import AllowanceLine, AllowanceRun, LineKind, RunState
    from teams.models import Assignment, Role

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
    # Computed as a finance office would, all the communes of a month at once: one write per
    # month (29, July 2024 – November 2026), not one per run (169); each run still names
    # its own commune's officer as the one who computed it.
    months = set(runs.values_list("month", flat=True))
    assert demo["run_writes"] == len(months) < runs.count()
    officers = {a.unit_id: a.user_id for a in Assignment.objects.filter(role=Role.COMMUNE_OFFICER)}
    assert all(r.computed_by_id == officers[r.commune_id] for r in runs)


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


# --- carryover: new Phú Thọ (issue 13 §6 and "on the demo") ------------------------------------


def _new_commune(code):
    from teams.models import AdministrativeUnit, Level, Tree

    return AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code=code)


def carry_over_xuan_lung_as_the_user_would():
    """What the README asks canbo_xuanlung to do in the browser, through the same service."""
    from carryover import selectors, services
    from teams.models import User

    xuan_lung = _new_commune("08500")
    sources = selectors.sources_of(xuan_lung)
    carry = services.commune_carry_over(
        commune=xuan_lung,
        plan=selectors.default_plan(xuan_lung, sources),
        actor=User.objects.get(username="canbo_xuanlung"),
    )
    assert carry.summary["memberships"] > 0


def test_carryover_demo(demo):
    """New Xã Lâm Thao carried over by its officer; Xã Xuân Lũng left for the user; each
    carried CCCD serves in exactly one team; no old commune but Xuân Lũng's predecessors has
    anyone serving after 30/06/2025."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from carryover import services
    from carryover.models import CarryOver
    from teams.models import EndGround, Membership, Tree, User

    today = timezone.localdate()
    lam_thao, xuan_lung = _new_commune("08494"), _new_commune("08500")
    officer = User.objects.get(username="canbo_xa_moi")
    for username, unit in [
        ("canbo_xa_moi", lam_thao),
        ("taichinh_xa_moi", lam_thao),
        ("canbo_xuanlung", xuan_lung),
    ]:
        assert [a.unit for a in User.objects.get(username=username).assignments.all()] == [unit]

    carry = CarryOver.objects.get(commune=lam_thao)
    assert carry.is_confirmed and carry.confirmed_by == officer and not carry.by_province
    assert carry.summary["memberships"] == Membership.objects.filter(team__commune=lam_thao).count()
    assert not CarryOver.objects.filter(commune=xuan_lung).exists()
    assert not xuan_lung.teams.exists()
    # The members' enrolments (made in the old towns) go on, and the summary says how many.
    assert carry.summary["enrolments"] > 0
    # Approved runs, lists and reports use it: no longer reopenable, and the page says why.
    assert "Báo cáo tháng 07/2025 đã được tiếp nhận." in services.reopen_blockers(lam_thao)

    # A carried member: the old membership ended on 30/06/2025 as a transfer, and the CCCD
    # serves in exactly one team today.
    new = Membership.objects.filter(team__commune=lam_thao).select_related("person").first()
    old = Membership.objects.get(transferred_to=new)
    assert (old.end_date, old.end_ground) == (datetime.date(2025, 6, 30), EndGround.REORGANISATION)
    assert old.team.commune.tree == Tree.LEGACY and new.start_date == datetime.date(2025, 7, 1)
    serving = Membership.objects.filter(person__cccd=new.person.cccd, start_date__lte=today)
    assert list(serving.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))) == [new]
    assert not (
        Membership.objects.filter(end_date__isnull=True)
        .values("person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )

    # Old communes: nobody serves after 30/06/2025 but in Xuân Lũng's two predecessors.
    after = Membership.objects.filter(team__commune__tree=Tree.LEGACY).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=datetime.date(2025, 6, 30))
    )
    assert set(after.values_list("team__commune__name", flat=True)) == {
        "Xã Tiên Kiên",
        "Xã Xuân Lũng",
    }
    assert set(xuan_lung.predecessors.values_list("name", flat=True)) >= {
        "Xã Tiên Kiên",
        "Xã Xuân Lũng",
    }


def test_new_phu_tho_has_runs_lists_and_the_straddling_report(demo):
    """July 2025 – November 2026 runs, quarterly lists, reports from the window that straddles
    the reorganisation (counting the predecessor's June change, not the carry-over)."""
    from allowances.models import AllowanceRun, RunState
    from carryover.models import CarryOver
    from insurance.models import FundingList, ListState, VsiEnrolment
    from reporting.models import Report, ReportState

    lam_thao = _new_commune("08494")
    runs = dict(AllowanceRun.objects.filter(commune=lam_thao).values_list("month", "state"))
    assert len(runs) == 17 and min(runs) == datetime.date(2025, 7, 1)
    assert runs[datetime.date(2026, 10, 1)] == RunState.SUBMITTED
    assert runs[datetime.date(2026, 11, 1)] == RunState.DRAFT
    assert sum(state == RunState.PAID for state in runs.values()) == 15
    lists = dict(FundingList.objects.filter(commune=lam_thao).values_list("quarter", "state"))
    assert lists[datetime.date(2025, 7, 1)] == ListState.SETTLED
    assert lists[datetime.date(2026, 10, 1)] == ListState.DRAFT
    # Enrolments begun in the old towns continue (no new enrolment on 01/07/2025).
    assert VsiEnrolment.objects.filter(
        person__memberships__team__commune=lam_thao, start_date__lt=datetime.date(2025, 7, 1)
    ).exists()
    # Thị trấn Hùng Sơn: one member left on 20/06/2025 and one joined on 24/06/2025.
    july = Report.objects.get(unit=lam_thao, kind="monthly", period="2025-07")
    assert july.state == ReportState.ACCEPTED
    assert (july.contents["joiners"], july.contents["leavers"]) == (1, 1)
    # The two towns' June runs, approved on 05/07/2025, are counted here (and nowhere else).
    assert july.contents["allowance_people"] > 0 and july.contents["allowance_total"] > 0
    carried = CarryOver.objects.get(commune=lam_thao).summary["memberships"]
    assert july.contents["members"] == carried


def test_new_phu_tho_dashboard_shows_the_july_2025_report(demo):
    from django.test import Client
    from django.urls import reverse

    from reporting.models import Report
    from teams.models import AdministrativeUnit, Level, Tree, User

    lam_thao = _new_commune("08494")
    phu_tho = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.PROVINCE, code="25")
    client = Client()
    client.force_login(User.objects.get(username="congan_tinh"))
    page = client.get(reverse("report-dashboard", args=[phu_tho.pk]), {"ky": "2025-07"})
    assert page.status_code == 200
    [row] = [r for r in page.context["consolidation"].rows if r.sent]
    assert row.unit == lam_thao
    assert row.report == Report.objects.get(unit=lam_thao, kind="monthly", period="2025-07")
    assert "Xã Lâm Thao" in page.content.decode()


def test_new_phu_tho_people_have_open_work_today(demo):
    """canbo_xa_moi and taichinh_xa_moi have work today; canbo_xuanlung has the carry-over."""
    from django.urls import reverse
    from django.utils import timezone

    from core.inbox import work_for
    from teams.models import User

    today = timezone.localdate()
    officer, finance, left = (
        User.objects.get(username=name)
        for name in ("canbo_xa_moi", "taichinh_xa_moi", "canbo_xuanlung")
    )
    assert "Phụ cấp hằng tháng" in {str(i.group) for i in work_for(officer, today).items}
    assert [i.title for i in work_for(finance, today).items] == ["Bảng phụ cấp tháng 10/2026"]
    assert reverse("carryover-commune", args=[_new_commune("08500").pk]) in [
        i.url for i in work_for(left, today).items
    ]


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
    from carryover import demo as carryover_demo
    from carryover.models import CarryOver
    from insurance import demo as insurance_demo
    from mediation import demo as mediation_demo
    from reporting import demo as reporting_demo
    from safe_areas import demo as safe_areas_demo
    from teams import demo as teams_demo
    from teams.models import Person, ResidentialArea, Team, User

    # The roster's people (the mediation demo adds mediators who are on no roster).
    roster_people = Person.objects.filter(memberships__isnull=False).distinct()
    people = sorted(roster_people.values_list("cccd", "full_name"))
    mediation_demo.remove_mediation()  # in the order of seed_demo --reset
    safe_areas_demo.remove_safe_areas()
    areas = ResidentialArea.objects.count()  # (the safe_areas demo's villages are gone)
    carry_over_xuan_lung_as_the_user_would()  # --reset also removes what the user did
    reporting_demo.remove_reports()
    insurance_demo.remove_insurance()
    allowances_demo.remove_runs()
    carryover_demo.remove_carry_over()
    teams_demo.remove_demo()
    assert not AllowanceRun.objects.exists() and not User.objects.exists()
    assert not CarryOver.objects.exists()
    rng = random.Random(2024)
    teams_demo.seed_areas_and_users(rng=rng)
    teams_demo.seed_rosters(rng=rng)
    carryover_demo.seed_carry_over()
    assert ResidentialArea.objects.count() == areas
    assert sorted(roster_people.values_list("cccd", "full_name")) == people
    assert Person.history.count() == Person.objects.count()
    # Nor the history of the areas (the safe_areas demo's villages too), the teams and the
    # teams' areas that the reset removed: a reset is not a slow leak of history rows.
    team_areas = apps.get_model("teams", "HistoricalTeam_areas")
    assert not ResidentialArea.history.exclude(id__in=ResidentialArea.objects.values("pk"))
    assert not Team.history.exclude(id__in=Team.objects.values("pk"))
    assert not team_areas.objects.exclude(history_id__in=Team.history.values("history_id"))
