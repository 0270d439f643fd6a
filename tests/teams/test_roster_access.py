"""Every roster view checks ownership: another unit's objects answer 404 (exactly like missing
ones), and a role that may only look gets 403 with the reason on every write."""

import pytest
from django.urls import reverse

from teams.models import Membership, Person, RosterImport

# name of the URL → how to get its argument from the roster fixture
OBJECT_URLS = {
    "area-edit": lambda r: r.areas["tien_kien_1"].pk,
    "team-detail": lambda r: r.teams["tk1"].pk,
    "team-edit": lambda r: r.teams["tk1"].pk,
    "team-dissolve": lambda r: r.teams["tk1"].pk,
    "member-add": lambda r: r.teams["tk1"].pk,
    "person-detail": lambda r: r.members["an"].person_id,
    "person-edit": lambda r: r.members["an"].person_id,
    "membership-edit": lambda r: r.members["an"].pk,
    "membership-end": lambda r: r.members["an"].pk,
    "membership-transfer": lambda r: r.members["an"].pk,
    "area-create": lambda r: r.units["tien_kien"].pk,
    "team-create": lambda r: r.units["tien_kien"].pk,
    "roster": lambda r: r.units["tien_kien"].pk,
    "roster-export": lambda r: r.units["tien_kien"].pk,
    "roster-import": lambda r: r.units["tien_kien"].pk,
    "roster-template": lambda r: r.units["tien_kien"].pk,
}
READ_URLS = {"team-detail", "person-detail", "roster", "roster-export", "roster-template"}
WRITE_URLS = sorted(set(OBJECT_URLS) - READ_URLS)

# Personas that must not even see Tiên Kiên's roster.
OUTSIDERS = ["canbo_xa2", "canbo_ct", "taichinh_ct", "taichinh_khac", "no_role"]
# Personas that see Tiên Kiên but may not change its roster.
READ_ONLY = ["congan_tinh", "taichinh_huyen", "bhxh_huyen"]


def url(name, roster):
    return reverse(name, args=[OBJECT_URLS[name](roster)])


# One test per persona, looping over the pages (a fixture per page would make this table
# slow to run without testing anything more).


def test_the_commune_officer_opens_every_roster_page(client, roster):
    roster.client_for(client, "canbo_xa1")
    for name in sorted(OBJECT_URLS):
        assert client.get(url(name, roster)).status_code == 200, name


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_units_get_404(client, roster, persona):
    roster.client_for(client, persona)
    for name in sorted(OBJECT_URLS):
        response = client.get(url(name, roster))
        assert response.status_code == 404, name
        assert "Nguyễn Văn An" not in response.content.decode(), name


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_units_cannot_post_either(client, roster, persona):
    roster.client_for(client, persona)
    before = (Person.objects.count(), Membership.objects.count())
    for name in WRITE_URLS:
        response = client.post(url(name, roster), {"full_name": "X", "version": 1})
        assert response.status_code == 404, name
    assert (Person.objects.count(), Membership.objects.count()) == before


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_can_look(client, roster, persona):
    roster.client_for(client, persona)
    for name in sorted(READ_URLS):
        assert client.get(url(name, roster)).status_code == 200, name


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_get_403_with_the_reason(client, roster, persona):
    roster.client_for(client, persona)
    before = (Person.objects.count(), Membership.objects.count())
    for name in WRITE_URLS:
        for method in ("get", "post"):
            response = getattr(client, method)(url(name, roster), {"version": 1})
            assert response.status_code == 403, (name, method)
            assert "Chỉ cán bộ cấp xã được cập nhật danh sách" in response.content.decode()
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_read_only_roles_see_no_edit_buttons(client, roster):
    roster.client_for(client, "congan_tinh")
    page = client.get(reverse("team-detail", args=[roster.teams["tk1"].pk])).content.decode()
    assert "Nguyễn Văn An" in page
    assert reverse("member-add", args=[roster.teams["tk1"].pk]) not in page
    assert reverse("membership-end", args=[roster.members["an"].pk]) not in page


def test_missing_objects_look_like_foreign_ones(client, roster):
    import re

    roster.client_for(client, "canbo_xa2")
    main = re.compile(rb"<main.*</main>", re.S)
    for name in sorted(OBJECT_URLS):
        missing = client.get(reverse(name, args=[999_999]))
        foreign = client.get(url(name, roster))
        assert missing.status_code == foreign.status_code == 404, name
        assert main.search(missing.content)[0] == main.search(foreign.content)[0], name


def test_roster_pages_need_a_commune(client, roster):
    # A district is visible to its finance officer, but has no residential areas of its own.
    roster.client_for(client, "taichinh_huyen")
    lam_thao = roster.units["lam_thao"].pk
    assert client.get(reverse("roster", args=[lam_thao])).status_code == 200  # list: any unit
    assert client.get(reverse("roster-template", args=[lam_thao])).status_code == 404


def test_district_roster_lists_only_its_communes(client, roster):
    roster.client_for(client, "taichinh_huyen")
    page = client.get(reverse("roster", args=[roster.units["lam_thao"].pk])).content.decode()
    assert "Nguyễn Văn An" in page and "Hoàng Văn Em" in page
    roster.client_for(client, "taichinh_khac")
    assert client.get(reverse("roster", args=[roster.units["lam_thao"].pk])).status_code == 404


def test_only_the_uploader_may_confirm_an_import(client, roster):
    record = RosterImport.objects.create(
        commune=roster.units["tien_kien"],
        uploaded_by=roster.users["canbo_xa1"],
        file_name="a.xlsx",
        content=b"",
        report={"errors": [], "rows": 0},
    )
    preview = reverse("roster-import-preview", args=[record.pk])
    roster.client_for(client, "canbo_xa1")
    assert client.get(preview).status_code == 200
    for persona in ["canbo_xa2", "congan_tinh", "canbo_ct"]:
        roster.client_for(client, persona)
        assert client.get(preview).status_code == 404
        assert client.post(preview).status_code == 404


def test_a_person_who_moved_away_is_visible_but_not_editable_by_the_old_commune(client, roster):
    """An officer sees the people who served in their commune; the record is maintained by
    the commune where the person serves now."""
    import datetime

    from teams import services

    em = roster.members["em"]  # Xuân Lũng
    services.membership_end(
        membership=em,
        on=datetime.date(2024, 12, 31),
        ground="a",
        decision_number="5/QĐ-UBND",
        decision_date=datetime.date(2024, 12, 30),
        version=em.version,
        actor=roster.users["canbo_xa2"],
    )
    from tests.builders import add_member, person_data

    add_member(
        roster.teams["tk2"],
        roster.users["canbo_xa1"],
        person=person_data(full_name="Hoàng Văn Em", cccd=em.person.cccd),
        start_date=datetime.date(2025, 2, 1),
    )
    roster.client_for(client, "canbo_xa2")
    person = em.person_id
    page = client.get(reverse("person-detail", args=[person])).content.decode()
    assert "Xã Xuân Lũng" in page
    assert "Tổ bảo vệ ANTT Khu 2" not in page  # the Tiên Kiên membership is not theirs to see
    assert client.get(reverse("person-edit", args=[person])).status_code == 403


def test_anonymous_users_are_sent_to_login(client, roster):
    response = client.get(url("team-detail", roster))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_provincial_police_reach_the_province_roster_from_the_province_page(client, roster):
    roster.client_for(client, "congan_tinh")
    page = client.get(reverse("unit-detail", args=[roster.units["pt"].pk])).content.decode()
    assert reverse("roster", args=[roster.units["pt"].pk]) in page
