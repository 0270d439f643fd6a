"""Roster rules through the services: Art. 13 criteria, one membership per person, one Tổ
trưởng per team, quotas from the jurisdiction's rule, ending and transfers, old communes,
optimistic locking and history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rules import registry
from teams import selectors, services
from teams.models import Membership, Person, Team
from teams.validation import MembershipData
from tests.builders import add_member, make_area, make_team, person_data

D = datetime.date


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


def refuse(team, actor=None, **kwargs) -> dict:
    person = kwargs.pop("person", None)
    with pytest.raises(ValidationError) as exc:
        add_member(team, actor, person=person, **kwargs)
    return errors(exc)


# --- Quota ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("commune", "kind", "households", "members"),
    [
        ("tien_kien", "xa", 350, 3),
        ("tien_kien", "xa", 524, 3),
        ("tien_kien", "xa", 525, 4),
        ("gia_cam", "phuong", 666, 3),
        ("gia_cam", "phuong", 667, 4),
    ],
)
def test_quota_boundaries_of_phu_tho(world, db_params, commune, kind, households, members):
    area = make_area(world.units[commune], f"Khu thử {households}", households)
    team = make_team(world.units[commune], f"Tổ thử {households}", area)
    quota = selectors.team_quota(team=team, on=D(2024, 8, 1))
    assert quota.members == members
    assert quota.result.citation == "NQ 02/2024/NQ-HĐND tỉnh Phú Thọ"
    assert not quota.error


def test_quota_of_a_team_over_several_areas_adds_their_households(world, db_params):
    commune = world.units["tien_kien"]
    small = [make_area(commune, f"Xóm {i}", 300) for i in range(2)]
    team = make_team(commune, "Tổ liên xóm", *small)  # 600 households together
    assert selectors.team_quota(team=team, on=D(2024, 8, 1)).members == 4
    facts = selectors.combined_area_facts(commune, small)
    assert facts.households == 600 and facts.residents is None


def test_missing_rule_is_shown_as_it_is_never_guessed(roster, monkeypatch):
    monkeypatch.delitem(registry.REGISTRY, "94", raising=False)
    quota = selectors.team_quota(team=roster.teams["mt1"])
    assert quota.members is None
    assert quota.error.startswith(
        "Chưa xác định được định mức: Chưa có quy định của Tỉnh Sóc Trăng"
    )


def test_missing_parameters_are_shown_too(world):
    # No `db_params` fixture: the rule exists but its parameters were never loaded.
    team = make_team(world.units["tien_kien"], "Tổ không tham số", world.areas["tien_kien_1"])
    quota = selectors.team_quota(team=team, on=D(2024, 8, 1))
    assert quota.error.startswith("Chưa xác định được định mức: Chưa có giá trị tham số")


def test_a_full_team_refuses_another_member_unless_a_reason_is_given(roster):
    team = roster.teams["tk1"]  # 350 households: 3 members, already 3
    found = refuse(team, person=person_data(full_name="Đỗ Văn Thừa"))
    assert "định mức 3 thành viên" in found["over_quota_reason"][0]
    assert "NQ 02/2024/NQ-HĐND tỉnh Phú Thọ" in found["over_quota_reason"][0]
    add_member(
        team,
        person=person_data(full_name="Đỗ Văn Thừa"),
        over_quota_reason="Văn bản 45/UBND-NC ngày 01/7/2024 của UBND tỉnh cho phép bổ sung.",
    )
    assert selectors.team_size(team=team) == 4


def test_members_can_be_added_while_the_quota_is_unknown(roster, monkeypatch):
    monkeypatch.delitem(registry.REGISTRY, "94", raising=False)
    team = roster.teams["mt1"]
    for i in range(4):
        add_member(
            team, person=person_data(full_name=f"Thạch Sa Rinh {chr(65 + i)}", province="094")
        )
    assert selectors.team_size(team=team) == 4


# --- Art. 13 ----------------------------------------------------------------------------------


def test_bad_cccd_is_refused_with_the_reason(roster):
    person = person_data(cccd="025285001234")  # male born 1985: digit 4 must be 0
    found = refuse(roster.teams["tk2"], person=person)
    assert "Chữ số thứ 4" in found["cccd"][0] and "phải là 0" in found["cccd"][0]


def test_cccd_from_an_unknown_province_is_refused(roster):
    found = refuse(roster.teams["tk2"], person=person_data(cccd="099085001234"))
    assert "«099» không phải mã tỉnh" in found["cccd"][0]


def test_age_is_checked_on_the_start_date(roster):
    team = roster.teams["tk2"]
    young = person_data(birth_date=D(2006, 8, 1), residence_since=D(2006, 8, 1))
    found = refuse(team, person=young, start_date=D(2024, 7, 15))
    assert "mới 17 tuổi" in found["birth_date"][0]
    # Eighteen on the day: accepted.
    adult = person_data(birth_date=D(2006, 7, 15), residence_since=D(2006, 7, 15))
    add_member(team, person=adult, start_date=D(2024, 7, 15))


def test_over_70_needs_the_commune_chairs_approval(roster):
    team = roster.teams["tk2"]
    old = person_data(birth_date=D(1953, 1, 1), full_name="Vũ Văn Thọ")
    found = refuse(team, person=old)
    assert "71 tuổi" in found["over_70_approval_number"][0]
    add_member(
        team,
        person=old,
        over_70_approval_number="15/UBND",
        over_70_approval_date=D(2024, 7, 10),
    )


def test_seventy_year_olds_need_no_approval(roster):
    add_member(roster.teams["tk2"], person=person_data(birth_date=D(1953, 12, 31)))  # 70


def test_residence_of_less_than_a_year_is_refused(roster):
    person = person_data(residence_type="tam_tru", residence_since=D(2023, 8, 1))
    found = refuse(roster.teams["tk2"], person=person, start_date=D(2024, 7, 15))
    assert "mới được 11 tháng" in found["residence_since"][0]
    assert "Điều 13" in found["residence_since"][0]


def test_primary_education_needs_the_art_13_3_exception(roster):
    team = roster.teams["tk2"]
    person = person_data(education="tieu_hoc")
    assert "Trình độ tiểu học chỉ được chấp nhận" in refuse(team, person=person)["education"][0]
    add_member(team, person=person, education_exception="mien_nui")


def test_below_primary_is_refused_even_with_the_exception(roster):
    found = refuse(
        roster.teams["tk2"],
        person=person_data(education="chua_tn_tieu_hoc"),
        education_exception="mien_nui",
    )
    assert "tốt nghiệp trung học cơ sở trở lên" in found["education"][0]


def test_missing_fields_are_all_reported_at_once(roster):
    found = refuse(
        roster.teams["tk2"],
        person=person_data(full_name="", residence_address="", education=""),
        role="",
        start_date=None,
    )
    assert {"full_name", "residence_address", "education", "role", "start_date"} <= set(found)


def test_start_before_the_law_is_refused(roster):
    found = refuse(roster.teams["tk2"], start_date=D(2024, 6, 30))
    assert "01/07/2024" in found["start_date"][0]


# --- Old and new communes ---------------------------------------------------------------------


def test_old_commune_accepts_dates_up_to_30_june_2025_only(roster):
    team = roster.teams["tk2"]
    found = refuse(team, start_date=D(2025, 7, 2))
    assert "đã kết thúc hoạt động ngày 30/06/2025" in found["start_date"][0]
    add_member(team, start_date=D(2025, 6, 30))


def test_new_commune_starts_on_1_july_2025(roster):
    found = refuse(
        roster.teams["mt1"], person=person_data(province="094"), start_date=D(2025, 6, 1)
    )
    assert "hoạt động từ ngày 01/07/2025" in found["start_date"][0]


# --- One membership per person, one leader per team ---------------------------------------


def test_a_person_serves_in_one_team_only_and_we_say_where_when_visible(roster):
    an = roster.members["an"].person
    again = person_data(full_name="Nguyễn Văn An", cccd=an.cccd)
    # The same officer sees Tiên Kiên: the team is named.
    found = refuse(roster.teams["tk2"], roster.users["canbo_xa1"], person=again)
    assert "Tổ trưởng của Tổ bảo vệ ANTT Khu 1, Xã Tiên Kiên (cũ)" in found["cccd"][0]
    # The Xuân Lũng officer does not: the unit is not named.
    found = refuse(roster.teams["xl1"], roster.users["canbo_xa2"], person=again)
    assert found["cccd"] == [
        "Người có số CCCD này đang tham gia một Tổ ở đơn vị khác. Một người chỉ tham gia một "
        "Tổ: người đó cần thôi tham gia ở đơn vị cũ trước."
    ]
    found = refuse(roster.teams["tk1"], roster.users["canbo_xa1"], person=again)
    assert "đã là Tổ trưởng của Tổ này" in found["cccd"][0]


def test_one_leader_per_team(roster):
    found = refuse(roster.teams["tk2"], role="to_truong")
    assert "đã có Tổ trưởng (Phạm Đức Dũng)" in found["role"][0]


def test_the_database_refuses_a_second_leader_and_a_second_active_membership(roster):
    dung = roster.members["dung"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=roster.members["chau"].person,
            team=dung.team,
            role="to_vien",
            start_date=D(2024, 8, 1),
        )
    other = Person.objects.create(
        full_name="Ngô Văn Khác",
        birth_date=D(1980, 1, 1),
        sex="nam",
        cccd="025080999999",
        education="thpt",
        residence_type="thuong_tru",
        residence_address="x",
        residence_since=D(1980, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=other, team=dung.team, role="to_truong", start_date=D(2024, 8, 1)
        )


# --- Ending, transfers, re-joining ------------------------------------------------------------


def end(membership, **kwargs):
    values = {
        "on": D(2025, 1, 31),
        "ground": "a",
        "decision_number": "25/QĐ-UBND",
        "decision_date": D(2025, 1, 30),
        "version": membership.version,
        "actor": None,
    }
    values.update(kwargs)
    return services.membership_end(membership=membership, **values)


def test_ending_keeps_the_row_with_ground_and_decision(roster):
    chau = end(roster.members["chau"], ground="b")
    chau.refresh_from_db()
    assert (chau.end_date, chau.end_ground, chau.end_decision_number) == (
        D(2025, 1, 31),
        "b",
        "25/QĐ-UBND",
    )
    assert selectors.team_size(team=roster.teams["tk1"]) == 2
    assert Membership.objects.filter(pk=chau.pk).exists()


def test_ending_needs_an_art_17_ground_and_the_form_08_decision(roster):
    with pytest.raises(ValidationError) as exc:
        end(roster.members["chau"], ground="chuyen_to", decision_number="", decision_date=None)
    assert set(errors(exc)) == {"ground", "decision_number", "decision_date"}


def test_ending_in_an_old_commune_after_june_2025_is_refused(roster):
    with pytest.raises(ValidationError) as exc:
        end(roster.members["chau"], on=D(2025, 8, 1))
    assert "đã kết thúc hoạt động ngày 30/06/2025" in errors(exc)["end_date"][0]


def test_transfer_ends_one_membership_and_starts_another(roster):
    chau = roster.members["chau"]
    new = services.membership_transfer(
        membership=chau,
        data=services.TransferData(
            to_team=roster.teams["tk2"],
            on=D(2025, 3, 1),
            role="to_pho",
            appointment_number="30/QĐ-UBND",
            appointment_date=D(2025, 2, 28),
        ),
        version=chau.version,
        actor=roster.users["canbo_xa1"],
    )
    chau.refresh_from_db()
    assert chau.end_date == D(2025, 2, 28) and chau.end_ground == "chuyen_to"
    assert chau.transferred_to == new
    assert (new.team, new.role, new.start_date, new.is_active) == (
        roster.teams["tk2"],
        "to_pho",
        D(2025, 3, 1),
        True,
    )


def test_transfer_checks_the_target_team(roster):
    chau = roster.members["chau"]
    with pytest.raises(ValidationError) as exc:
        services.membership_transfer(
            membership=chau,
            data=services.TransferData(
                to_team=roster.teams["tk2"], on=D(2025, 3, 1), role="to_truong"
            ),
            version=chau.version,
            actor=None,
        )
    assert "đã có Tổ trưởng" in errors(exc)["role"][0]
    with pytest.raises(ValidationError) as exc:
        services.membership_transfer(
            membership=chau,
            data=services.TransferData(
                to_team=roster.teams["xl1"], on=D(2025, 3, 1), role="to_vien"
            ),
            version=chau.version,
            actor=None,
        )
    assert "cùng một xã" in errors(exc)["to_team"][0]


def test_someone_who_left_can_join_again_later(roster):
    chau = end(roster.members["chau"])
    again = person_data(full_name="Lê Minh Châu", cccd=chau.person.cccd, phone="0987654321")
    found = refuse(roster.teams["tk2"], person=again, start_date=D(2025, 1, 15))
    assert "thôi tham gia Tổ trước đó ngày 31/01/2025" in found["start_date"][0]
    joined = add_member(roster.teams["tk2"], person=again, start_date=D(2025, 2, 15))
    assert joined.person_id == chau.person_id
    assert Person.objects.get(pk=chau.person_id).phone == "0987654321"
    assert chau.person.memberships.count() == 2


# --- Teams and areas --------------------------------------------------------------------------


def test_an_area_belongs_to_one_active_team(roster):
    with pytest.raises(ValidationError) as exc:
        make_team(roster.units["tien_kien"], "Tổ trùng", roster.areas["tien_kien_1"])
    assert "đã do Tổ bảo vệ ANTT Khu 1 phụ trách" in errors(exc)["areas"][0]


def test_a_team_is_dissolved_only_when_empty(roster):
    team = roster.teams["tk2"]
    with pytest.raises(ValidationError) as exc:
        services.team_dissolve(
            team=team, on=D(2025, 5, 1), decision_number="9/QĐ", version=team.version, actor=None
        )
    assert "còn 1 thành viên" in str(exc.value)
    end(roster.members["dung"])
    team.refresh_from_db()
    services.team_dissolve(
        team=team, on=D(2025, 5, 1), decision_number="9/QĐ", version=team.version, actor=None
    )
    team.refresh_from_db()
    assert team.status == "dissolved" and team.dissolved_on == D(2025, 5, 1)
    # Its area can now go to another team.
    make_team(roster.units["tien_kien"], "Tổ mới Khu 2", roster.areas["tien_kien_2"])


def test_area_rules(roster):
    data = services.AreaData(name="khu 1", kind="khu", households=120, residents=90)
    with pytest.raises(ValidationError) as exc:
        services.area_create(commune=roster.units["tien_kien"], data=data, actor=None)
    assert set(errors(exc)) == {"name", "residents"}


# --- Optimistic locking and history -----------------------------------------------------------


def test_the_second_of_two_concurrent_edits_gets_a_conflict_naming_the_changes(roster):
    an = roster.members["an"].person
    stale = an.version
    first = person_data(full_name="Nguyễn Văn An", cccd=an.cccd, phone="0900000001")
    services.person_update(person=an, data=first, version=stale, actor=roster.users["canbo_xa1"])
    second = person_data(full_name="Nguyễn Văn Ân", cccd=an.cccd, phone="0900000002")
    with pytest.raises(services.EditConflict) as exc:
        services.person_update(
            person=Person.objects.get(pk=an.pk), data=second, version=stale, actor=None
        )
    conflict = exc.value
    assert conflict.by == "Nguyễn Văn Hùng"
    assert [(c.label, c.before, c.after) for c in conflict.changes] == [
        ("Số điện thoại", "0912345678", "0900000001")
    ]
    an.refresh_from_db()
    assert (an.full_name, an.phone) == ("Nguyễn Văn An", "0900000001")  # nothing overwritten


def test_history_records_who_changed_what(roster):
    from teams.history import entries_for_person

    an = roster.members["an"]
    services.membership_update(
        membership=an,
        data=MembershipData(
            role="to_truong",
            start_date=an.start_date,
            appointment_number="7/QĐ-UBND",
            appointment_date=D(2024, 7, 14),
            concurrent_posts=["doi_truong_dan_phong"],
        ),
        version=an.version,
        actor=roster.users["canbo_xa1"],
    )
    entries = entries_for_person(an.person, [an])
    latest = entries[0]
    assert latest.who == "Nguyễn Văn Hùng"
    changes = {c.label: (c.before, c.after) for c in latest.changes}
    assert changes["Số quyết định công nhận"] == ("—", "7/QĐ-UBND")
    assert changes["Kiêm nhiệm"] == ("—", "Đội trưởng đội dân phòng")
    assert [e.kind for e in entries].count("+") == 2  # person and membership created


def test_team_is_kept_in_history_when_its_areas_change(roster):
    team = roster.teams["tk2"]
    extra = make_area(roster.units["tien_kien"], "Khu 9", 175)
    services.team_update(
        team=team,
        data=services.TeamData(
            name=team.name,
            areas=[roster.areas["tien_kien_2"], extra],
            decision_number=team.decision_number,
            decision_date=team.decision_date,
        ),
        version=team.version,
        actor=None,
    )
    latest = Team.history.filter(id=team.pk).first()
    assert {a.residentialarea_id for a in latest.areas.all()} == {
        roster.areas["tien_kien_2"].pk,
        extra.pk,
    }
    assert (
        selectors.team_quota(team=team, on=D(2024, 8, 1)).members == 5
    )  # 525 + 175 = 700 households


def test_a_new_role_in_the_same_team_is_a_dated_change(roster):
    binh = roster.members["binh"]  # Tổ phó of Khu 1
    an = roster.members["an"]  # Tổ trưởng of Khu 1
    data = services.TransferData(to_team=roster.teams["tk1"], on=D(2025, 2, 1), role="to_truong")
    with pytest.raises(ValidationError) as exc:
        services.membership_transfer(membership=binh, data=data, version=binh.version, actor=None)
    assert "đã có Tổ trưởng (Nguyễn Văn An)" in errors(exc)["role"][0]
    # The leader steps down first (to Tổ viên), then Bình takes over; the full team of 3 stays 3.
    services.membership_transfer(
        membership=an,
        data=services.TransferData(to_team=roster.teams["tk1"], on=D(2025, 2, 1), role="to_vien"),
        version=an.version,
        actor=None,
    )
    new = services.membership_transfer(membership=binh, data=data, version=binh.version, actor=None)
    assert (new.role, new.start_date) == ("to_truong", D(2025, 2, 1))
    assert selectors.team_size(team=roster.teams["tk1"]) == 3
    binh.refresh_from_db()
    assert binh.end_date == D(2025, 1, 31) and binh.end_ground == "chuyen_to"
    same = services.TransferData(to_team=roster.teams["tk1"], on=D(2025, 3, 1), role="to_truong")
    with pytest.raises(ValidationError) as exc:
        services.membership_transfer(membership=new, data=same, version=new.version, actor=None)
    assert "chọn Tổ khác hoặc chức danh khác" in errors(exc)["role"][0]
