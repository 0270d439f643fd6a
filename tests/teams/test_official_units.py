"""The official trees, loaded once for this module from the vietnam-provinces package."""

import pytest
from django.core.management import call_command

from teams.models import AdministrativeUnit, Level, Tree, UnitSuccession
from teams.official_units import units_import


@pytest.fixture(scope="module")
def official_units(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = units_import()
    yield summary
    with django_db_blocker.unblock():
        # Each test rolled its own rows back, so nothing refers to the units any more: delete
        # them in plain SQL rather than through the ORM's collector, which would look for
        # dependent rows in every related table, batch by batch.
        UnitSuccession.objects.all()._raw_delete("default")
        for level in [Level.COMMUNE, Level.DISTRICT, Level.PROVINCE]:
            AdministrativeUnit.objects.filter(level=level)._raw_delete("default")


def count(tree, level):
    return AdministrativeUnit.objects.filter(tree=tree, level=level).count()


def test_new_tree_has_34_provinces_and_3321_communes(official_units, db):
    assert count(Tree.CURRENT, Level.PROVINCE) == 34
    assert count(Tree.CURRENT, Level.COMMUNE) == 3321
    assert count(Tree.CURRENT, Level.DISTRICT) == 0
    assert not AdministrativeUnit.objects.filter(
        tree=Tree.CURRENT, valid_from__isnull=True
    ).exists()


def test_old_tree_has_63_provinces_with_districts_until_june_2025(official_units, db):
    assert count(Tree.LEGACY, Level.PROVINCE) == 63
    assert count(Tree.LEGACY, Level.DISTRICT) > 600
    assert count(Tree.LEGACY, Level.COMMUNE) > 10_000
    assert set(
        AdministrativeUnit.objects.filter(tree=Tree.LEGACY).values_list("valid_to", flat=True)
    ) == {__import__("datetime").date(2025, 6, 30)}


def test_new_can_tho_commune_from_soc_trang_has_jurisdiction_94(official_units, db):
    my_tu = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="31567")
    assert my_tu.parent.code == "92"
    assert my_tu.jurisdiction == "94"
    assert my_tu.jurisdiction_name == "Tỉnh Sóc Trăng"
    old = set(my_tu.predecessors.values_list("parent__parent__code", flat=True))
    assert old == {"94"}


def test_new_can_tho_runs_three_rule_sets(official_units, db):
    can_tho = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.PROVINCE, code="92")
    assert can_tho.jurisdiction == ""  # several, one per commune
    jurisdictions = set(
        AdministrativeUnit.objects.within(can_tho).communes().values_list("jurisdiction", flat=True)
    )
    assert jurisdictions == {"92", "93", "94"}
    assert set(can_tho.predecessors.values_list("code", flat=True)) == {"92", "93", "94"}


def test_paths_follow_the_tree(official_units, db):
    tien_kien = AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.COMMUNE, code="08497")
    assert tien_kien.path == "legacy/25/237/08497/"
    assert tien_kien.parent.name == "Huyện Lâm Thao"
    assert tien_kien.search_name == "tien kien"
    phu_tho = AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.PROVINCE, code="25")
    assert tien_kien in AdministrativeUnit.objects.within(phu_tho)


def test_commune_from_two_old_provinces_is_flagged(official_units, db):
    long_an = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="27694")
    assert long_an.jurisdiction == "80"
    assert "nhiều tỉnh cũ" in long_an.jurisdiction_note
    assert [u.code for u in official_units.flagged] == ["27694"]


def test_island_special_zone_links_to_its_old_district(official_units, db):
    con_dao = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="26732")
    assert con_dao.jurisdiction == "77"  # old Bà Rịa - Vũng Tàu
    assert [p.name for p in con_dao.predecessors.all()] == ["Huyện Côn Đảo"]


def test_second_run_changes_nothing(official_units, db):
    summary = units_import()
    assert sum(s.created + s.updated for s in summary.stages) == 0
    assert summary.successions_created == 0


def test_administrator_correction_survives_a_reload(official_units, db):
    long_an = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="27694")
    long_an.jurisdiction, long_an.jurisdiction_note = "82", "Đã kiểm tra với Sở Tư pháp."
    long_an.jurisdiction_confirmed = True
    long_an.save()
    summary = units_import()
    long_an.refresh_from_db()
    assert long_an.jurisdiction == "82"
    assert summary.flagged == []


def test_command_prints_progress(official_units, db, capsys):
    call_command("import_units")
    out = capsys.readouterr().out
    assert "Xã, phường, đặc khu (từ 01/07/2025): 3321" in out
    assert "Xong: 0 đơn vị mới" in out


def test_demo_seed_builds_personas_on_real_units(official_units, db, settings):
    from mediation.demo import DEMO_USERS as MEDIATION_DEMO_USERS
    from safe_areas.demo import USERNAMES as SAFE_AREAS_USERS
    from teams.demo import DEMO_USERS

    mediation_users = {u[0] for u in MEDIATION_DEMO_USERS}
    from teams.models import Person, ResidentialArea, User

    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")
    assert set(User.objects.values_list("username", flat=True)) == (
        {u.username for u in DEMO_USERS} | {"admin"} | set(SAFE_AREAS_USERS) | mediation_users
    )
    canbo_ct = User.objects.get(username="canbo_ct")
    assert canbo_ct.assignments.get().unit.jurisdiction == "94"
    households = list(ResidentialArea.objects.values_list("households", flat=True))
    assert min(households) >= 100 and max(households) <= 1200
    check_demo_rosters()
    # The roster's people (the mediation demo adds mediators who are on no roster).
    roster_people = Person.objects.filter(memberships__isnull=False).distinct()
    people = sorted(roster_people.values_list("cccd", "full_name"))
    call_command("seed_demo", "--force")  # a second run keeps what is there
    assert User.objects.count() == (
        len(DEMO_USERS) + 1 + len(SAFE_AREAS_USERS) + len(mediation_users)
    )
    check_demo_runs()
    check_demo_insurance()
    check_demo_carry_over()
    # What --reset does, then the same seed again: the same people, no history left over.
    # (Only the roster part is rebuilt here: re-running the allowance part would double this
    # test's time and exercises no other code.)
    import random

    from allowances import demo as allowances_demo
    from allowances.models import AllowanceRun
    from carryover import demo as carryover_demo
    from carryover.models import CarryOver
    from insurance import demo as insurance_demo
    from mediation import demo as mediation_demo
    from reporting import demo as reporting_demo
    from safe_areas import demo as safe_areas_demo
    from teams import demo as teams_demo
    from tests.safe_areas.test_demo import check_demo_safe_areas

    check_demo_safe_areas()
    mediation_demo.remove_mediation()  # in the order of seed_demo --reset
    safe_areas_demo.remove_safe_areas()
    areas = ResidentialArea.objects.count()
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


def _new_commune(code):
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


def check_demo_carry_over():
    """Issue 13's "on the demo": new Xã Lâm Thao carried over by its officer, with runs, lists
    and reports; new Xã Xuân Lũng left for the user; each carried CCCD serves once; no old
    commune but Xuân Lũng's predecessors has anyone serving after 30/06/2025; new Phú Thọ's
    dashboard shows the July 2025 report."""
    import datetime

    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from allowances.models import AllowanceRun, RunState
    from carryover.models import CarryOver
    from core.inbox import work_for
    from insurance.models import FundingList, ListState, VsiEnrolment
    from reporting.models import Report, ReportState
    from teams.models import EndGround, Membership, User

    today = timezone.localdate()
    lam_thao, xuan_lung = _new_commune("08494"), _new_commune("08500")
    officer = User.objects.get(username="canbo_xa_moi")
    finance = User.objects.get(username="taichinh_xa_moi")
    left = User.objects.get(username="canbo_xuanlung")
    assert [a.unit for a in officer.assignments.all()] == [lam_thao]
    assert [a.unit for a in finance.assignments.all()] == [lam_thao]
    assert [a.unit for a in left.assignments.all()] == [xuan_lung]

    carry = CarryOver.objects.get(commune=lam_thao)
    assert carry.is_confirmed and carry.confirmed_by == officer and not carry.by_province
    assert carry.summary["memberships"] == Membership.objects.filter(team__commune=lam_thao).count()
    assert not CarryOver.objects.filter(commune=xuan_lung).exists()
    assert not xuan_lung.teams.exists()

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

    # July 2025 – November 2026: paid history, October waiting for finance, November a draft.
    runs = dict(AllowanceRun.objects.filter(commune=lam_thao).values_list("month", "state"))
    assert len(runs) == 17 and min(runs) == datetime.date(2025, 7, 1)
    assert runs[datetime.date(2026, 10, 1)] == RunState.SUBMITTED
    assert runs[datetime.date(2026, 11, 1)] == RunState.DRAFT
    assert sum(state == RunState.PAID for state in runs.values()) == 15
    lists = dict(FundingList.objects.filter(commune=lam_thao).values_list("quarter", "state"))
    assert lists[datetime.date(2025, 7, 1)] == ListState.SETTLED
    assert lists[datetime.date(2026, 10, 1)] == ListState.DRAFT
    # Enrolments begun in the old town continue (no new enrolment on 01/07/2025).
    assert VsiEnrolment.objects.filter(
        person__memberships__team__commune=lam_thao, start_date__lt=datetime.date(2025, 7, 1)
    ).exists()

    # The straddling report counts the predecessor's June change (Hùng Sơn: one left, one
    # joined), not the carry-over itself.
    july = Report.objects.get(unit=lam_thao, kind="monthly", period="2025-07")
    assert july.state == ReportState.ACCEPTED
    assert (july.contents["joiners"], july.contents["leavers"]) == (1, 1)
    assert july.contents["members"] == carry.summary["memberships"]

    # New Phú Thọ's dashboard, July 2025, as the provincial police see it.
    phu_tho = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.PROVINCE, code="25")
    client = Client()
    client.force_login(User.objects.get(username="congan_tinh"))
    page = client.get(reverse("report-dashboard", args=[phu_tho.pk]), {"ky": "2025-07"})
    assert page.status_code == 200
    [row] = [r for r in page.context["consolidation"].rows if r.sent]
    assert row.unit == lam_thao and row.report == july
    assert "Xã Lâm Thao" in page.content.decode()

    # Open work today for the new commune's people, and the carry-over for Xuân Lũng's officer.
    assert "Phụ cấp hằng tháng" in {str(i.group) for i in work_for(officer, today).items}
    assert [i.title for i in work_for(finance, today).items] == ["Bảng phụ cấp tháng 10/2026"]
    assert reverse("carryover-commune", args=[xuan_lung.pk]) in [
        i.url for i in work_for(left, today).items
    ]


def check_demo_runs():
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


def check_demo_insurance():
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


def check_demo_rosters():
    """Every demo area has a team that fits its quota, with valid, realistic members."""
    import datetime

    from rules import cccd
    from teams import selectors
    from teams.demo import BIRTH_PROVINCE, demo_communes
    from teams.models import EndGround, Membership, Person, ResidentialArea, Team

    # (the villages of Xã Kon Braih belong to the safe_areas demo and have no team)
    for area in ResidentialArea.objects.filter(commune__in=demo_communes()).select_related(
        "commune"
    ):
        [team] = Team.objects.filter(areas=area, status="active")
        # Counted on the commune's last day: an old commune's members carried over in 2025
        # ended there on 30/06/2025.
        last_day = area.commune.valid_to or datetime.date.today()
        size = (
            team.memberships.filter(start_date__lte=last_day).exclude(end_date__lt=last_day).count()
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
