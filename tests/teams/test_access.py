"""Who sees what: the permission table, the scope filter and every view's ownership check."""

import re

import pytest
from django.urls import reverse

from teams.access import ROLE_PERMISSIONS, Perm, access_unit, can, scope_q
from teams.models import AdministrativeUnit, Role

# (persona, unit the persona may open, unit of someone else that must answer 404)
OWNERSHIP = [
    ("canbo_xa1", "tien_kien", "xuan_lung"),
    ("canbo_xa1", "tien_kien", "lam_thao"),  # not even its own district
    ("canbo_xa2", "xuan_lung", "tien_kien"),
    ("taichinh_huyen", "xuan_lung", "gia_cam"),
    ("taichinh_huyen", "lam_thao", "thanh_ba"),
    ("bhxh_huyen", "tien_kien", "tt_thanh_ba"),
    ("taichinh_khac", "tt_thanh_ba", "tien_kien"),
    ("congan_tinh", "gia_cam", "my_tu"),
    ("congan_tinh", "lam_thao_new", "ct"),
    ("canbo_ct", "my_tu", "vi_thuy"),
    ("canbo_ct", "my_tu", "tien_kien"),
    ("taichinh_ct", "my_tu", "vi_thuy"),
]


@pytest.mark.parametrize(("persona", "own", "other"), OWNERSHIP)
def test_unit_page_checks_ownership(client, world, persona, own, other):
    world.client_for(client, persona)
    assert client.get(reverse("unit-detail", args=[world.units[own].pk])).status_code == 200
    response = client.get(reverse("unit-detail", args=[world.units[other].pk]))
    assert response.status_code == 404
    assert world.units[other].name not in response.content.decode()


def test_missing_and_foreign_units_look_the_same(client, world):
    world.client_for(client, "canbo_xa1")
    foreign = client.get(reverse("unit-detail", args=[world.units["xuan_lung"].pk]))
    missing = client.get(reverse("unit-detail", args=[999_999]))
    assert foreign.status_code == missing.status_code == 404
    main = re.compile(rb"<main.*</main>", re.S)
    assert main.search(foreign.content)[0] == main.search(missing.content)[0]


def test_user_without_assignment_sees_nothing(client, world):
    world.client_for(client, "no_role")
    assert client.get(reverse("unit-detail", args=[world.units["tien_kien"].pk])).status_code == 404
    assert "chưa được phân công" in client.get(reverse("home")).content.decode()


def test_superuser_sees_every_unit(client, world):
    world.client_for(client, "admin")
    for unit in world.units.values():
        assert client.get(reverse("unit-detail", args=[unit.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    for url in [reverse("home"), reverse("unit-detail", args=[world.units["tien_kien"].pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_home_lists_only_own_units(client, world):
    world.client_for(client, "canbo_xa1")
    page = client.get(reverse("home")).content.decode()
    assert "Xã Tiên Kiên" in page
    assert "Xuân Lũng" not in page


def test_scope_filter_selects_the_subtree(world):
    visible = set(
        AdministrativeUnit.objects.filter(scope_q(world.users["taichinh_huyen"])).values_list(
            "code", flat=True
        )
    )
    assert visible == {"237", "08497", "08500"}


def test_scope_honours_the_permission(world):
    # The finance officer sees Lâm Thao but may not edit rosters there.
    finance = world.users["taichinh_huyen"]
    assert not AdministrativeUnit.objects.filter(scope_q(finance, Perm.EDIT_ROSTER)).exists()
    assert can(world.users["canbo_xa1"], world.units["tien_kien"], Perm.EDIT_ROSTER)
    assert not can(world.users["canbo_xa1"], world.units["xuan_lung"], Perm.EDIT_ROSTER)


def test_visible_unit_without_the_permission_is_403_with_reason(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="cán bộ cấp xã"):
        access_unit(world.users["congan_tinh"], world.units["tien_kien"].pk, Perm.EDIT_ROSTER)


def test_every_role_has_a_permission_row():
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert all(Perm.VIEW in perms for perms in ROLE_PERMISSIONS.values())
    read_only = {Role.PROVINCIAL_POLICE, Role.INSURANCE_OFFICER}
    for role in read_only:
        assert Perm.EDIT_ROSTER not in ROLE_PERMISSIONS[role]


def test_inactive_superuser_has_no_blanket_access(world):
    admin = world.users["admin"]
    admin.is_active = False
    assert not can(admin, world.units["tien_kien"], Perm.VIEW)


COMMUNE_PAGES = ["area-create", "team-create", "allowance-runs", "duty-log", "insurance-lists"]


@pytest.mark.parametrize("name", [*COMMUNE_PAGES, "training"])
def test_commune_pages_of_a_district_answer_404(client, world, name):
    """access_commune: a district the user may see still has no residential areas, runs,
    insurance lists or training courses of its own."""
    world.client_for(client, "admin")
    assert client.get(reverse(name, args=[world.units["lam_thao"].pk])).status_code == 404


def test_access_commune_checks_the_unit_before_the_level(world):
    """A unit outside the user's scope is 404 whatever its level; a commune is returned."""
    from django.http import Http404

    from teams.access import access_commune

    officer = world.users["canbo_xa1"]
    assert access_commune(officer, world.units["tien_kien"].pk) == world.units["tien_kien"]
    for other in ("xuan_lung", "lam_thao"):
        with pytest.raises(Http404):
            access_commune(officer, world.units[other].pk)


# --- A signed-in request's user, loaded with its assignments (teams.access.user_with_assignments)


def _as_loaded(user):
    from teams.access import user_assignments

    return [
        (
            [getattr(user, f.attname) for f in type(user)._meta.concrete_fields],
            [
                (
                    [getattr(a, f.attname) for f in type(a)._meta.concrete_fields],
                    [getattr(a.unit, f.attname) for f in type(a.unit)._meta.concrete_fields],
                )
                for a in user_assignments(user)
            ],
        )
    ]


@pytest.mark.parametrize("persona", ["canbo_xa1", "taichinh_huyen", "congan_tinh", "no_role"])
def test_the_user_comes_with_the_assignments_the_orm_reads(
    world, persona, django_assert_num_queries
):
    from teams.access import user_with_assignments
    from teams.models import Assignment, User

    user = world.users[persona]
    if persona == "congan_tinh":  # a second unit, which sorts first
        Assignment.objects.create(user=user, unit=world.units["ct"], role=Role.INSURANCE_OFFICER)
    with django_assert_num_queries(1):
        loaded = user_with_assignments(user.pk)
        assert _as_loaded(loaded)  # the assignments and their units need no other query
        assert [a.user for a in loaded._antt_assignments] == [loaded] * len(
            loaded._antt_assignments
        )
    assert _as_loaded(loaded) == _as_loaded(User.objects.get(pk=user.pk))
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_two_roles_at_one_unit_come_in_the_order_they_were_given(world):
    from teams.access import user_with_assignments
    from teams.models import Assignment

    user = world.users["congan_tinh"]
    first = user.assignments.get(unit=world.units["pt"])
    later = Assignment.objects.create(user=user, unit=world.units["pt"], role=Role.FINANCE_OFFICER)
    loaded = [a.pk for a in user_with_assignments(user.pk)._antt_assignments]
    assert loaded[-2:] == [first.pk, later.pk]  # legacy/25/ sorts last


def test_no_such_user_is_none(world):
    from teams.access import user_with_assignments

    assert user_with_assignments(999_999) is None


def test_a_signed_in_page_reads_session_user_and_assignments_in_two_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from teams.models import User

    world.client_for(client, "canbo_xa1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("unit-detail", args=[999_999]))
    assert response.status_code == 404
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries if " FROM " in q["sql"]]
    assert tables[:2] == ['"django_session"', f'"{User._meta.db_table}"']
    assert sum('"teams_assignment"' in q["sql"] for q in queries) == 1


@pytest.mark.parametrize("change", [{"password": "changed"}, {"is_active": False}])
def test_a_changed_password_or_an_inactive_user_is_signed_out(client, world, change):
    from teams.models import User

    world.client_for(client, "canbo_xa1")
    url = reverse("unit-detail", args=[world.units["tien_kien"].pk])
    assert client.get(url).status_code == 200
    # another password: the session's hash no longer matches; inactive: refused
    User.objects.filter(pk=world.users["canbo_xa1"].pk).update(**change)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
