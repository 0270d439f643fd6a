"""Roster pages in the browser's place: forms, messages, search, filters, query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from rules import registry
from teams.models import Membership, Person, person_search_name
from tests.builders import (
    add_member,
    add_members,
    cccd_for,
    make_area,
    make_team,
    membership_data,
    person_data,
    sign_in,
)

D = datetime.date


def text(response) -> str:
    """The page's visible text, roughly: tags removed, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(body.split())


def member_form(**overrides):
    birth = D(1990, 5, 20)
    data = {
        "full_name": "Đinh Công Tráng",
        "cccd": cccd_for(birth),
        "birth_date": "20/05/1990",
        "sex": "nam",
        "ethnicity": "Kinh",
        "education": "thcs",
        "phone": "0987 654 321",
        "household_status": "can_ngheo",
        "residence_type": "thuong_tru",
        "residence_since": "20/05/1990",
        "residence_address": "Khu 2, xã Tiên Kiên",
        "role": "to_vien",
        "start_date": "01/08/2024",
        "appointment_number": "31/QĐ-UBND",
        "appointment_date": "31/07/2024",
        "concurrent_posts": ["truc_tiep_kdc"],
    }
    data.update(overrides)
    return data


# --- Quota on the team page -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("commune", "households", "members"),
    [("tien_kien", 350, 3), ("tien_kien", 525, 4), ("gia_cam", 666, 3), ("gia_cam", 667, 4)],
)
def test_team_page_shows_quota_size_and_citation(
    client, world, db_params, commune, households, members
):
    unit = world.units[commune]
    team = make_team(unit, "Tổ thử", make_area(unit, f"Khu {households}", households))
    add_member(team, person=person_data(), role="to_truong")
    world.client_for(client, "admin")
    page = text(client.get(reverse("team-detail", args=[team.pk])))
    assert f"1 / {members} thành viên so với định mức" in page
    assert f"Còn thiếu {members - 1}" in page
    assert "Căn cứ: NQ 02/2024/NQ-HĐND tỉnh Phú Thọ; tính cho ngày 30/06/2025" in page
    assert "Cách tính định mức" in page and "Số thành viên theo quy mô" in page


def test_team_page_shows_the_rule_error_as_it_is(client, roster, monkeypatch):
    monkeypatch.delitem(registry.REGISTRY, "94", raising=False)
    roster.client_for(client, "canbo_ct")
    page = text(client.get(reverse("team-detail", args=[roster.teams["mt1"].pk])))
    assert "Chưa xác định được định mức: Chưa có quy định của Tỉnh Sóc Trăng (mã 94)" in page
    commune = text(client.get(reverse("unit-detail", args=[roster.units["my_tu"].pk])))
    assert "Chưa xác định định mức" in commune


def test_adding_while_the_quota_is_unknown_warns(client, roster, monkeypatch):
    monkeypatch.delitem(registry.REGISTRY, "94", raising=False)
    roster.client_for(client, "canbo_ct")
    birth = D(1990, 5, 20)
    data = member_form(cccd=cccd_for(birth, province="094"), start_date="15/07/2025")
    response = client.post(reverse("member-add", args=[roster.teams["mt1"].pk]), data, follow=True)
    page = text(response)
    assert "Đã thêm Đinh Công Tráng" in page
    assert "Chưa kiểm tra được số thành viên so với định mức" in page


# --- Adding a member --------------------------------------------------------------------------


def test_add_member_then_see_it_on_the_team_page(client, roster):
    roster.client_for(client, "canbo_xa1")
    team = roster.teams["tk2"]
    response = client.post(reverse("member-add", args=[team.pk]), member_form(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("team-detail", args=[team.pk])
    page = text(response)
    assert "Đã thêm Đinh Công Tráng vào Tổ bảo vệ ANTT Khu 2" in page
    assert "Người trực tiếp tham gia hoạt động ở khu dân cư" in page
    person = Person.objects.get(full_name="Đinh Công Tráng")
    assert person.phone == "0987 654 321" and person.household_status == "can_ngheo"
    assert person.history.first().history_user == roster.users["canbo_xa1"]


def test_bad_cccd_shows_the_reason_and_keeps_what_was_typed(client, roster):
    roster.client_for(client, "canbo_xa1")
    response = client.post(
        reverse("member-add", args=[roster.teams["tk2"].pk]),
        member_form(cccd="025290001234"),  # digit 4 says born 2000s, birth is 1990
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chữ số thứ 4 của số CCCD là «2»" in page
    assert 'value="Đinh Công Tráng"' in page and 'value="025290001234"' in page
    assert not Person.objects.filter(full_name="Đinh Công Tráng").exists()


def test_wrong_date_format_is_explained(client, roster):
    roster.client_for(client, "canbo_xa1")
    response = client.post(
        reverse("member-add", args=[roster.teams["tk2"].pk]), member_form(birth_date="1990-20-05")
    )
    assert "Nhập ngày theo dạng ngày/tháng/năm" in response.content.decode()


def test_empty_form_lists_every_missing_field(client, roster):
    roster.client_for(client, "canbo_xa1")
    page = text(client.post(reverse("member-add", args=[roster.teams["tk2"].pk]), {}))
    for message in ["Chưa nhập họ và tên.", "Chưa nhập số CCCD.", "Chưa nhập ngày sinh."]:
        assert message in page
    assert "Chưa lưu:" in page


# --- Edit, end, transfer through the pages ------------------------------------------------------


def test_two_officers_editing_the_same_person(client, roster):
    from django.test import Client

    an = roster.members["an"].person
    url = reverse("person-edit", args=[an.pk])
    first, second = client, Client()
    roster.client_for(first, "canbo_xa1")
    sign_in(second, roster.users["admin"])
    form = {k: v for k, v in member_form().items() if k in {
        "full_name", "birth_date", "sex", "ethnicity", "education", "household_status",
        "residence_type", "residence_since", "residence_address",
    }}  # fmt: skip
    form.update(
        cccd=an.cccd, birth_date="12/03/1985", residence_since="01/01/2000", version=an.version
    )
    assert (
        first.post(url, form | {"full_name": "Nguyễn Văn An", "phone": "0911111111"}).status_code
        == 302
    )
    response = second.post(url, form | {"full_name": "Nguyễn Văn Ấn", "phone": "0922222222"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hồ sơ vừa được người khác cập nhật" in page
    assert "Nguyễn Văn Hùng đã lưu hồ sơ này" in page
    assert "0911111111" in page  # what the first officer saved
    assert 'value="0922222222"' in page and 'value="Nguyễn Văn Ấn"' in page  # input kept
    an.refresh_from_db()
    assert (an.full_name, an.phone) == ("Nguyễn Văn An", "0911111111")
    # Saving again after reading the message is a deliberate overwrite.
    again = re.search(r'name="version" value="(\d+)"', page)[1]
    form_again = form | {"full_name": "Nguyễn Văn Ấn", "phone": "0922222222", "version": again}
    assert second.post(url, form_again).status_code == 302
    an.refresh_from_db()
    assert an.phone == "0922222222"


def test_member_page_shows_field_history(client, roster):
    an = roster.members["an"]
    roster.client_for(client, "canbo_xa1")
    client.post(
        reverse("membership-edit", args=[an.pk]),
        {"role": "to_truong", "start_date": "15/07/2024", "appointment_number": "9/QĐ-UBND",
         "appointment_date": "14/07/2024", "version": an.version},
    )  # fmt: skip
    page = text(client.get(reverse("person-detail", args=[an.person_id])))
    assert "Lịch sử thay đổi" in page
    assert "Số quyết định công nhận : — → 9/QĐ-UBND" in page
    assert "Nguyễn Văn Hùng" in page


def test_end_membership_through_the_page(client, roster):
    chau = roster.members["chau"]
    roster.client_for(client, "canbo_xa1")
    url = reverse("membership-end", args=[chau.pk])
    page = text(
        client.post(url, {"end_date": "01/08/2025", "ground": "a", "version": chau.version})
    )
    assert "đã kết thúc hoạt động ngày 30/06/2025" in page
    assert "Nhập số quyết định thôi tham gia (Mẫu 08)." in page
    response = client.post(
        url,
        {"end_date": "31/05/2025", "ground": "d", "decision_number": "40/QĐ-UBND",
         "decision_date": "30/05/2025", "version": chau.version},
        follow=True,
    )  # fmt: skip
    assert "Đã ghi nhận Lê Minh Châu thôi tham gia" in text(response)
    chau.refresh_from_db()
    assert chau.end_ground == "d"


def test_transfer_through_the_page(client, roster):
    chau = roster.members["chau"]
    roster.client_for(client, "canbo_xa1")
    response = client.post(
        reverse("membership-transfer", args=[chau.pk]),
        {"to_team": roster.teams["tk2"].pk, "on": "01/03/2025", "role": "to_vien", "version": chau.version},
        follow=True,
    )  # fmt: skip
    assert "Đã chuyển Lê Minh Châu sang Tổ bảo vệ ANTT Khu 2" in text(response)
    assert Membership.objects.filter(person=chau.person).count() == 2


# --- Lists: search, filters, query counts ------------------------------------------------------


@pytest.mark.parametrize("query", ["nguyen van an", "NGUYỄN VĂN", "an", "Văn An"])
def test_search_ignores_case_and_diacritics(client, roster, query):
    roster.client_for(client, "canbo_xa1")
    page = text(client.get(reverse("roster", args=[roster.units["tien_kien"].pk]), {"q": query}))
    assert "Nguyễn Văn An" in page
    assert "Trần Thị Bình" not in page


def test_search_by_cccd_prefix(client, roster):
    roster.client_for(client, "canbo_xa1")
    cccd = roster.members["binh"].person.cccd
    page = text(client.get(reverse("roster", args=[roster.units["tien_kien"].pk]), {"q": cccd[:9]}))
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_filters_by_role_team_and_status(client, roster):
    from teams import services

    chau = roster.members["chau"]
    services.membership_end(
        membership=chau, on=D(2025, 1, 1), ground="a", decision_number="1",
        decision_date=D(2025, 1, 1), version=chau.version, actor=None,
    )  # fmt: skip
    roster.client_for(client, "canbo_xa1")
    url = reverse("roster", args=[roster.units["tien_kien"].pk])
    leaders = text(client.get(url, {"role": "to_truong"}))
    assert (
        "Nguyễn Văn An" in leaders and "Phạm Đức Dũng" in leaders and "Trần Thị Bình" not in leaders
    )
    team = text(client.get(url, {"team": roster.teams["tk2"].pk}))
    assert "Phạm Đức Dũng" in team and "Nguyễn Văn An" not in team
    assert "Lê Minh Châu" not in text(client.get(url))  # active only by default
    ended = text(client.get(url, {"status": "da-thoi"}))
    assert "Lê Minh Châu" in ended and "Nguyễn Văn An" not in ended


def letters(i: int) -> str:
    return "".join(chr(ord("A") + int(d)) for d in str(i))


def grow(team, n, start=0):
    """`n` more members of `team`, written in a few statements (tests.builders.add_members):
    these tests count a page's queries, not the service's."""
    add_members(
        [
            (
                team,
                person_data(full_name=f"Thành Viên {letters(i)}"),
                membership_data(over_quota_reason="Thử số truy vấn"),
            )
            for i in range(start, start + n)
        ]
    )


def teams_with_members(commune, label: str, indexes, members: int, start: int) -> list:
    """Teams "Tổ {label} i" of `commune`, each over an area "Khu {label} i" (400 households) of
    its own with `members` members, in a few statements whatever their number, as
    tests.conftest's build_roster writes teams (the services' rules are tested on their own;
    these tests count a page's queries): ~12 ms a team through make_area and make_team."""
    from teams.models import AreaKind, ResidentialArea, Team

    indexes = list(indexes)
    areas = ResidentialArea.objects.bulk_create(
        ResidentialArea(commune=commune, name=f"Khu {label} {i}", kind=AreaKind.KHU,
                        households=400)
        for i in indexes
    )  # fmt: skip
    teams = Team.objects.bulk_create(
        Team(commune=commune, name=f"Tổ {label} {i}", decision_number="12/QĐ-UBND",
             decision_date=datetime.date(2024, 7, 1))
        for i in indexes
    )  # fmt: skip
    Team.areas.through.objects.bulk_create(
        Team.areas.through(team_id=team.pk, residentialarea_id=area.pk)
        for team, area in zip(teams, areas, strict=True)
    )
    add_members(
        [
            (
                team,
                person_data(full_name=f"Thành Viên {letters(start + members * k + j)}"),
                membership_data(over_quota_reason="Thử số truy vấn"),
            )
            for k, team in enumerate(teams)
            for j in range(members)
        ]
    )
    return teams


def test_commune_page_query_count_does_not_grow(client, roster, django_assert_num_queries):
    """The commune page (teams with leader, size and quota) costs the same whatever the roster."""
    roster.client_for(client, "canbo_xa1")
    url = reverse("unit-detail", args=[roster.units["tien_kien"].pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(roster.teams["tk1"], 12)
    commune = roster.units["tien_kien"]
    for i in range(4):
        team = make_team(commune, f"Tổ thêm {i}", make_area(commune, f"Khu thêm {i}", 400))
        grow(team, 3, start=100 + 10 * i)
    with django_assert_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_team_page_query_count_does_not_grow(client, roster, django_assert_max_num_queries):
    roster.client_for(client, "canbo_xa1")
    url = reverse("team-detail", args=[roster.teams["tk1"].pk])
    client.get(url)
    grow(roster.teams["tk1"], 15)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_roster_list_query_count_does_not_grow(client, roster, django_assert_max_num_queries):
    roster.client_for(client, "congan_tinh")
    url = reverse("roster", args=[roster.units["pt"].pk])  # the whole old province
    grow(roster.teams["tk1"], 30)
    with django_assert_max_num_queries(10):
        response = client.get(url, {"page": 1})
    assert response.status_code == 200
    assert "35 người" in text(response)
    with django_assert_max_num_queries(10):
        client.get(url, {"page": 2})


def test_person_page_query_count_is_bounded(client, roster, django_assert_max_num_queries):
    roster.client_for(client, "canbo_xa1")
    an = roster.members["an"].person
    # 12, plus one for the person's mediator roles (issue 15: both pages show both roles).
    with django_assert_max_num_queries(13):
        assert client.get(reverse("person-detail", args=[an.pk])).status_code == 200


def test_pagination_keeps_the_filters(client, roster):
    grow(roster.teams["tk1"], 50)
    roster.client_for(client, "canbo_xa1")
    page = client.get(
        reverse("roster", args=[roster.units["tien_kien"].pk]), {"role": "to_vien"}
    ).content.decode()
    assert "role=to_vien&amp;page=2" in page


def test_commune_page_lists_teams_with_leader_and_quota(client, roster):
    roster.client_for(client, "canbo_xa1")
    page = text(client.get(reverse("unit-detail", args=[roster.units["tien_kien"].pk])))
    assert "Tổ bảo vệ ANTT Khu 1 Khu 1 Nguyễn Văn An 3 3 Đủ" in page
    assert "Tổ bảo vệ ANTT Khu 2 Khu 2 Phạm Đức Dũng 1 4 Thiếu 3" in page
    assert "Danh sách thành viên 4" in page


def test_admin_shows_rosters_read_only_with_history(client, roster):
    roster.client_for(client, "admin")
    an = roster.members["an"]
    for url in [
        reverse("admin:teams_team_changelist"),
        reverse("admin:teams_person_changelist"),
        reverse("admin:teams_membership_changelist"),
        reverse("admin:teams_person_history", args=[an.person_id]),
        reverse("admin:teams_membership_change", args=[an.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:teams_person_add")).status_code == 403


def test_roster_pages_work_in_english(client, roster):
    roster.client_for(client, "canbo_xa1")
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    for url in [
        reverse("team-detail", args=[roster.teams["tk1"].pk]),
        reverse("person-detail", args=[roster.members["an"].person_id]),
        reverse("roster", args=[roster.units["tien_kien"].pk]),
        reverse("member-add", args=[roster.teams["tk1"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Content-Language"] == "en"


def test_commune_roster_query_count_is_the_same_with_ten_times_the_teams(
    client, roster, django_assert_num_queries
):
    """The filter form lists every team of the commune: 10× the teams, the same queries
    (issue 17 §4: each team used to reload its deferred commune)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    commune = roster.units["tien_kien"]
    teams_with_members(commune, "đo", range(6), members=1, start=200)  # 8 teams with members
    assert commune.teams.count() == 8
    roster.client_for(client, "canbo_xa1")
    url = reverse("roster", args=[commune.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    teams_with_members(commune, "đo", range(6, 78), members=1, start=306)  # 80 teams
    assert commune.teams.count() == 80
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Tổ đo 77" in response.content.decode()


# --- A province's or district's roster: filter by district or commune, sort, go to a page ----


def names_in(response) -> list[str]:
    return re.findall(r'<td class="name"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_province_roster_filters_by_district_or_commune(client, roster):
    roster.client_for(client, "congan_tinh")
    url = reverse("roster", args=[roster.units["pt"].pk])
    page = client.get(url).content.decode()
    # Grouped by district; only communes that have teams (Gia Cẩm, Thanh Ba have none).
    assert '<optgroup label="Huyện Lâm Thao">' in page and "Cả huyện Lâm Thao" in page
    assert "Xã Xuân Lũng</option>" in page and "Phường Gia Cẩm</option>" not in page
    xuan_lung = client.get(url, {"unit": roster.units["xuan_lung"].pk})
    assert names_in(xuan_lung) == ["Hoàng Văn Em"]
    district = client.get(url, {"unit": roster.units["lam_thao"].pk})
    assert len(names_in(district)) == 5
    # A unit outside the list (another province's commune) filters nothing out and shows all.
    foreign = client.get(url, {"unit": roster.units["my_tu"].pk, "role": "to_truong"})
    assert foreign.status_code == 200
    assert sorted(names_in(foreign)) == ["Hoàng Văn Em", "Nguyễn Văn An", "Phạm Đức Dũng"]


def test_district_roster_lists_its_communes(client, roster):
    roster.client_for(client, "congan_huyen")
    page = client.get(reverse("roster", args=[roster.units["lam_thao"].pk])).content.decode()
    assert "Xã Tiên Kiên</option>" in page and "<optgroup" not in page


def test_roster_sorts_by_a_column_both_ways_and_keeps_the_filters(client, roster):
    roster.client_for(client, "congan_tinh")
    url = reverse("roster", args=[roster.units["pt"].pk])
    by_name = names_in(client.get(url, {"sort": "ten"}))
    assert by_name == sorted(by_name, key=lambda n: person_search_name(n))
    assert names_in(client.get(url, {"sort": "-ten"})) == by_name[::-1]
    page = client.get(url, {"sort": "ten", "role": "to_truong"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "?role=to_truong&amp;sort=-ten" in page  # the header link toggles, filters kept
    assert 'name="sort" value="ten"' in page  # filtering again keeps the order
    # An unknown order is the default order, not an error.
    assert client.get(url, {"sort": "x; drop"}).status_code == 200


def test_roster_can_jump_to_a_page(client, roster):
    grow(roster.teams["tk1"], 120)
    roster.client_for(client, "canbo_xa1")
    url = reverse("roster", args=[roster.units["tien_kien"].pk])
    page = client.get(url, {"role": "to_vien"}).content.decode()
    assert 'class="page-jump"' in page and 'name="role" value="to_vien"' in page
    assert 'max="3"' in page
    third = client.get(url, {"role": "to_vien", "page": "3"})
    assert "Trang 3/3" in text(third)
    for wrong in ["999", "abc", "-1"]:
        response = client.get(url, {"page": wrong})
        assert response.status_code == 200, wrong


def test_province_roster_queries_do_not_grow_with_communes(
    client, roster, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    roster.client_for(client, "congan_tinh")
    url = reverse("roster", args=[roster.units["pt"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    from tests.builders import make_unit

    district = roster.units["viet_tri"]
    for i in range(10):
        commune = make_unit(f"0799{i}", f"Phường Thử {i}", "phuong", parent=district)
        grow(make_team(commune, f"Tổ {i}", make_area(commune, f"Khu {i}", 300)), 2, 400 + 10 * i)
    with django_assert_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert "Phường Thử 9</option>" in page


def test_a_number_no_column_holds_is_refused_on_the_area_form(client, roster):
    from teams.models import ResidentialArea

    area = ResidentialArea.objects.get(pk=roster.areas["tien_kien_1"].pk)
    sign_in(client, roster.users["canbo_xa1"])
    data = {
        "name": area.name,
        "kind": area.kind,
        "households": str(10**20),
        "version": area.version,
    }
    response = client.post(reverse("area-edit", args=[area.pk]), data)
    assert response.status_code == 200
    assert "Số quá lớn: nhập số không quá 2.147.483.647." in response.content.decode()
    area.refresh_from_db()
    assert area.households != 10**20


def test_an_id_no_column_holds_is_refused_on_the_team_form(client, roster):
    team = roster.teams["tk1"]
    sign_in(client, roster.users["canbo_xa1"])
    data = {"name": "Tổ mới", "areas": [str(10**20)], "decision_number": "1/QĐ",
            "decision_date": "01/07/2024"}  # fmt: skip
    response = client.post(reverse("team-create", args=[team.commune_id]), data)
    assert response.status_code == 200
    assert not team.commune.teams.filter(name="Tổ mới").exists()


def test_cccd_errors_and_role_names_reach_an_english_reader_from_the_catalogue(client, roster):
    """Issue 16 §5 against the real English catalogue (locale/en), not one made for the test:
    the person form's CCCD errors and the role names on the team page are English."""
    roster.client_for(client, "canbo_xa1")
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    wrong_century = text(
        client.post(
            reverse("member-add", args=[roster.teams["tk2"].pk]),
            member_form(cccd="025290001234"),  # digit 4 says born in the 2000s, birth is 1990
        )
    )
    assert "The 4th digit of the CCCD number is «2» (born in 2000–2099)" in wrong_century
    assert "Chữ số thứ 4" not in wrong_century
    empty = text(client.post(reverse("member-add", args=[roster.teams["tk2"].pk]), {}))
    assert "Citizen ID (CCCD) number not entered." in empty
    assert "Chưa nhập số CCCD." not in empty
    team_page = text(client.get(reverse("team-detail", args=[roster.teams["tk1"].pk])))
    assert "Team leader" in team_page and "Tổ trưởng" not in team_page
    person_page = text(client.get(reverse("person-detail", args=[roster.members["an"].person_id])))
    assert "Team leader" in person_page
