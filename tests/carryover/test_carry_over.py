"""Carrying one new commune over: keep, rename, merge; split predecessors; every bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from carryover import selectors, services
from carryover.models import CarryOver, CarryOverState
from carryover.plan import AreaPlan, Plan, TeamPlan
from teams.models import EndGround, Membership, ResidentialArea, Team
from tests.builders import link, make_area, make_unit
from tests.carryover.conftest import keep_plan

OLD_END, NEW_START = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


def _carry(co, plan, user="canbo_xa_moi"):
    return services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=plan, actor=co.users[user]
    )


def _state():
    return (
        list(
            Membership.objects.order_by("pk").values_list(
                "pk", "end_date", "end_ground", "transferred_to_id"
            )
        ),
        ResidentialArea.objects.count(),
        Team.objects.count(),
        CarryOver.objects.count(),
    )


def _refused(co, plan, *fragments):
    before = _state()
    with pytest.raises(ValidationError) as exc:
        _carry(co, plan)
    text = " ".join(exc.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    assert _state() == before
    return text


def _dong_tam(co, *, households: int | None = None, leader: int | None = None) -> Plan:
    """Tiên Kiên's Khu 1 and Xuân Lũng's Khu 1 merged into Khu Đồng Tâm, their two teams into
    one."""
    a, t = co.areas, co.teams
    return Plan(
        picked={co.units["tien_kien"].pk: [a["tien_kien_1"].pk]},
        areas=[
            AreaPlan(
                "Khu Đồng Tâm", [a["tien_kien_1"].pk, a["xuan_lung_1"].pk], households=households
            )
        ],
        teams=[TeamPlan("Tổ bảo vệ ANTT Khu Đồng Tâm", [t["tk1"].pk, t["xl1"].pk], leader=leader)],
        fingerprint=selectors.fingerprint(selectors.sources_of(co.units["lam_thao_new"])),
    )


def test_preview_writes_nothing_and_lists_the_predecessors(co, django_assert_max_num_queries):
    before = _state()
    plan = keep_plan(co)
    with django_assert_max_num_queries(14):
        preview = selectors.preview(commune=co.units["lam_thao_new"], plan=plan)
    assert preview.problems == []
    assert [s.unit.name for s in preview.sources] == ["Xã Tiên Kiên", "Xã Xuân Lũng"]
    assert preview.resolved.counts() == {"areas": 2, "teams": 2, "memberships": 4, "enrolments": 0}
    tk = preview.resolved.teams[0]
    assert tk.quota.members == 3 and tk.size == 3 and not tk.over_quota
    assert _state() == before


def test_keep_ends_old_memberships_and_starts_linked_new_ones(co):
    m = co.members
    Membership.objects.filter(pk=m["an"].pk).update(appointment_number="15/QĐ-UBND")
    carry = _carry(co, keep_plan(co))
    assert carry.state == CarryOverState.CONFIRMED
    old = Membership.objects.get(pk=m["an"].pk)
    assert (old.end_date, old.end_ground) == (OLD_END, EndGround.REORGANISATION)
    new = old.transferred_to
    assert (new.start_date, new.role, new.person_id, new.end_date) == (
        NEW_START,
        "to_truong",
        old.person_id,
        None,
    )
    assert new.appointment_number == "15/QĐ-UBND"
    assert new.team.commune == co.units["lam_thao_new"]
    assert new.team.name == "Tổ bảo vệ ANTT Khu 1 (Tiên Kiên)"
    assert list(new.team.came_from.all()) == [co.teams["tk1"]]
    area = new.team.areas.get()
    assert area.name == "Khu 1 (Tiên Kiên)" and area.households == 350
    assert list(area.came_from.all()) == [co.areas["tien_kien_1"]]
    # Dũng's area (Khu 2) was not picked: he still serves in Tiên Kiên, for Phùng Nguyên.
    assert Membership.objects.get(pk=m["dung"].pk).end_date is None
    # Every carried person serves in exactly one team; the old communes have nobody after 30/06.
    for key in ("an", "binh", "chau", "em"):
        person = m[key].person
        assert Membership.objects.filter(person=person, end_date__isnull=True).count() == 1
    assert not Membership.objects.filter(
        team__commune__in=[co.units["xuan_lung"]], end_date__isnull=True
    ).exists()
    history = list(old.history.order_by("history_id").values_list("history_type", "end_ground"))
    assert history[-1] == ("~", EndGround.REORGANISATION)
    assert new.history.count() == 1


def test_rename_and_merge_areas_and_teams_with_a_chosen_leader(co):
    a, t, m = co.areas, co.teams, co.members
    commune = co.units["lam_thao_new"]
    plan = _dong_tam(co, households=780)
    text = _refused(co, plan, "chọn người làm Tổ trưởng", "Nguyễn Văn An", "Hoàng Văn Em")
    plan.teams[0].leader = m["an"].pk
    preview = selectors.preview(commune=commune, plan=plan)
    team = preview.resolved.teams[0]
    assert team.size == 4 and team.quota.members is not None
    _carry(co, plan)
    area = ResidentialArea.objects.get(commune=commune)
    assert area.households == 780 and set(area.came_from.all()) == {
        a["tien_kien_1"],
        a["xuan_lung_1"],
    }
    new_team = Team.objects.get(commune=commune)
    assert set(new_team.came_from.all()) == {t["tk1"], t["xl1"]}
    roles = dict(Membership.objects.filter(team=new_team).values_list("person__full_name", "role"))
    assert roles["Nguyễn Văn An"] == "to_truong" and roles["Hoàng Văn Em"] == "to_pho"
    assert text


def test_a_merged_team_keeps_the_decision_numbers_its_old_teams_had(co):
    """Only numbers that exist are joined: an old team with no number adds no empty entry."""
    t, m = co.teams, co.members
    commune = co.units["lam_thao_new"]
    Team.objects.filter(pk=t["tk1"].pk).update(decision_number="12/QĐ-UBND")
    Team.objects.filter(pk=t["xl1"].pk).update(decision_number="")
    plan = _dong_tam(co, leader=m["an"].pk)
    team = selectors.preview(commune=commune, plan=plan).resolved.teams[0]
    assert team.decision_number == "12/QĐ-UBND"


def test_merged_areas_add_households_up_and_merging_areas_of_two_teams_needs_one_team(co):
    a, t = co.areas, co.teams
    commune = co.units["lam_thao_new"]
    plan = Plan(
        picked={co.units["tien_kien"].pk: [a["tien_kien_1"].pk]},
        areas=[AreaPlan("Khu Đồng Tâm", [a["tien_kien_1"].pk, a["xuan_lung_1"].pk])],
        teams=[TeamPlan("Tổ A", [t["tk1"].pk]), TeamPlan("Tổ B", [t["xl1"].pk])],
        fingerprint=selectors.fingerprint(selectors.sources_of(commune)),
    )
    _refused(co, plan, "gộp các Tổ đó thành một Tổ")
    preview = selectors.preview(commune=commune, plan=plan)
    assert preview.resolved is None and preview.problems


def test_an_old_area_mapped_twice_or_not_at_all(co):
    a = co.areas
    plan = keep_plan(co)
    plan.areas.append(AreaPlan("Khu khác", [a["xuan_lung_1"].pk]))
    _refused(co, plan, "Khu 1 (Xuân Lũng) được xếp vào hai khu dân cư mới")
    plan = keep_plan(co)
    plan.areas = plan.areas[:1]
    _refused(co, plan, "Khu 1 (Xuân Lũng) chưa được xếp vào khu dân cư mới nào")


def test_a_split_predecessor_needs_its_areas_picked_and_an_area_goes_to_one_successor(co):
    plan = keep_plan(co)
    plan.picked = {}
    _refused(co, plan, "Xã Tiên Kiên (cũ) chỉ nhập một phần", "chọn ít nhất một khu dân cư")
    # Phùng Nguyên takes Khu 2 and Khu 1 first; then Lâm Thao may not have Khu 1.
    pn = co.units["phung_nguyen"]
    a, t = co.areas, co.teams
    pn_plan = Plan(
        picked={co.units["tien_kien"].pk: [a["tien_kien_2"].pk]},
        areas=[AreaPlan("Khu 2", [a["tien_kien_2"].pk])],
        teams=[TeamPlan("Tổ bảo vệ ANTT Khu 2", [t["tk2"].pk])],
        fingerprint=selectors.fingerprint(selectors.sources_of(pn)),
    )
    services.commune_carry_over(commune=pn, plan=pn_plan, actor=co.users["canbo_pn"])
    dung = Membership.objects.get(person=co.members["dung"].person, end_date__isnull=True)
    assert dung.team.commune == pn
    _carry(co, keep_plan(co))  # Lâm Thao takes Khu 1 (the fingerprint is taken again)
    again = Plan(
        picked={co.units["tien_kien"].pk: [a["tien_kien_2"].pk]},
        areas=[AreaPlan("Khu 2 bis", [a["tien_kien_2"].pk])],
        teams=[TeamPlan("Tổ X", [t["tk2"].pk])],
        fingerprint=selectors.fingerprint(selectors.sources_of(pn)),
    )
    CarryOver.objects.filter(commune=pn).update(state=CarryOverState.REOPENED)
    with pytest.raises(ValidationError) as exc:
        services.commune_carry_over(commune=pn, plan=again, actor=co.users["canbo_pn"])
    assert "đã được chuyển giao cho Xã Phùng Nguyên" in " ".join(exc.value.messages)


def test_carrying_over_twice_is_refused(co):
    _carry(co, keep_plan(co))
    _refused(co, keep_plan(co), "đã chuyển giao xong")


def test_a_plan_whose_old_roster_changed_since_the_preview_is_refused(co):
    plan = keep_plan(co)
    Membership.objects.filter(pk=co.members["chau"].pk).update(version=5)
    _refused(co, plan, "đã thay đổi từ lúc xem trước")


def test_a_person_already_serving_after_the_reorganisation_is_refused(co):
    # Châu's old row ends on 30/06 (not carried), and he is recorded in another team from 01/07;
    # then the old row is (wrongly) reopened: carrying him would make him serve twice.
    m = co.members
    mt = co.teams["mt1"]
    Membership.objects.create(
        person=m["chau"].person,
        team=mt,
        role="to_vien",
        start_date=NEW_START,
        end_date=datetime.date(2025, 8, 1),
        end_ground="a",
    )
    _refused(co, keep_plan(co), "Lê Minh Châu", "một người chỉ tham gia một Tổ")


def test_predecessors_of_two_old_provinces_need_the_jurisdiction_chosen(co):
    u = co.units
    vp = make_unit("26", "Tỉnh Vĩnh Phúc", "tinh")
    vp_d = make_unit("246", "Huyện Sông Lô", "huyen", parent=vp)
    vp_c = make_unit("09000", "Xã Tam Sơn", "xa", parent=vp_d)
    make_area(vp_c, "Thôn 1", 200)
    link(vp_c, u["lam_thao_new"])
    u["lam_thao_new"].jurisdiction_note = "Hình thành từ hai tỉnh: 25, 26"
    u["lam_thao_new"].save()
    plan = keep_plan(co)
    plan.areas.append(AreaPlan("Thôn 1", [vp_c.residential_areas.get().pk]))
    plan.fingerprint = selectors.fingerprint(selectors.sources_of(u["lam_thao_new"]))
    _refused(co, plan, "nhiều tỉnh cũ", "25", "26")
    plan.jurisdiction = "25"
    _carry(co, plan)
    u["lam_thao_new"].refresh_from_db()
    assert u["lam_thao_new"].jurisdiction == "25"


def test_transfers_are_neither_joiners_nor_leavers_in_reports(co):
    from reporting.contents import commune_contents
    from reporting.periods import Period

    _carry(co, keep_plan(co))
    july = Period.monthly(2025, 7)
    new = commune_contents(commune=co.units["lam_thao_new"], period=july)
    assert (new["joiners"], new["leavers"], new["members"]) == (0, 0, 4)
    old = commune_contents(commune=co.units["xuan_lung"], period=Period.monthly(2025, 6))
    assert old["leavers"] == 0


def test_the_province_command_applies_the_default_plan_once(co, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    u = co.units
    # A third new commune formed from the whole of Gia Cẩm: no decision needed.
    viet_tri = make_unit(
        "25999", "Phường Việt Trì", "phuong", parent=u["pt_new"], tree="2025", jurisdiction="25"
    )
    link(u["gia_cam"], viet_tri)
    from tests.builders import make_team

    make_team(u["gia_cam"], "Tổ bảo vệ ANTT Tổ dân phố 1", co.areas["gia_cam_1"])
    call_command("carry_over", "--province", "25", "--dry-run")
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] and dry["communes"] == 1 and dry["areas"] == 1 and dry["teams"] == 1
    assert {d["code"] for d in dry["needs_decision"]} == {"08494", "08503"}
    assert not ResidentialArea.objects.filter(commune=viet_tri).exists()
    call_command("carry_over", "--province", "25")
    first = json.loads(capsys.readouterr().out)
    assert (first["communes"], first["areas"], first["teams"]) == (1, 1, 1)
    area = ResidentialArea.objects.get(commune=viet_tri)
    assert area.name == "Tổ dân phố 1" and list(area.came_from.all()) == [co.areas["gia_cam_1"]]
    call_command("carry_over", "--province", "25")
    second = json.loads(capsys.readouterr().out)
    assert (second["communes"], second["memberships"], second["already_carried"]) == (0, 0, 1)
    with pytest.raises(CommandError, match="Không có tỉnh"):
        call_command("carry_over", "--province", "99")


def test_a_merged_team_over_its_quota_is_confirmed_only_with_the_reason(co):
    """Tiên Kiên's Khu 1 (3 members, quota 3 for 350 households) merged with Xuân Lũng's team
    into one area of 350 households: 4 members over a quota of 3, as a member added beyond the
    quota on the roster, needs the reason."""
    m = co.members
    commune = co.units["lam_thao_new"]
    plan = _dong_tam(co, households=350, leader=m["an"].pk)
    preview = selectors.preview(commune=commune, plan=plan)
    team = preview.resolved.teams[0]
    assert (team.size, team.quota.members) == (4, 3) and preview.over_quota == [team]
    assert preview.problems == []  # the preview shows the plan, and asks for the reason
    _refused(co, plan, "Tổ bảo vệ ANTT Khu Đồng Tâm", "4 thành viên", "định mức 3", "Ghi lý do")
    plan.teams[0].over_quota_reason = "Công văn 15/UBND ngày 20/6/2025 của UBND tỉnh"
    carry = _carry(co, plan)
    assert carry.plan["teams"][0]["over_quota_reason"] == plan.teams[0].over_quota_reason
    assert Membership.objects.filter(team__commune=commune, end_date__isnull=True).count() == 4


def test_kept_teams_need_no_reason_whatever_their_size(co):
    # A team kept as it was adds nobody: no quota is computed at confirm time.
    plan = keep_plan(co)
    assert all(len(team.sources) == 1 for team in plan.teams)
    assert _carry(co, plan).state == CarryOverState.CONFIRMED
