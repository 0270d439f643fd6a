"""`teams.access.one_in_scope`, the lookup of every access helper with its statement compiled once
per shape: the same statement (SQL and parameters), the same objects and the same related objects
as the ORM's `one(...)` it stands for, for users of one path, several paths, none, a superuser."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from teams.access import Perm, one, one_in_scope, scope_q, user_assignments
from teams.models import AdministrativeUnit, Assignment, Membership, ResidentialArea, Role, Team

pytestmark = pytest.mark.django_db

SHAPES = [
    (AdministrativeUnit, "path", ()),
    (ResidentialArea, "commune__path", ("commune",)),
    (Team, "commune__path", ("commune",)),
    (Membership, "team__commune__path", ("team__commune", "person")),
]


def _values(obj) -> list:
    return [getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields]


def _loaded(obj, select_related) -> list:
    """The object's columns and those of each object select_related loaded with it, read
    without a query (a related object that was not loaded would need one)."""
    if obj is None:
        return [None]
    out = [type(obj).__name__, _values(obj), obj._state.adding, obj._state.db]
    for path in select_related:
        current = obj
        for name in path.split("__"):
            field = type(current)._meta.get_field(name)
            assert field.is_cached(current), (path, name)
            current = getattr(current, name)
        out.append(_values(current))
    return out


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries]


@pytest.mark.parametrize("persona", ["canbo_xa1", "congan_tinh", "two_units", "no_role", "admin"])
def test_the_same_statement_and_objects_as_the_orm(roster, persona):
    users = roster.users
    if persona == "two_units":  # two paths, given in the order that does not sort
        user = users["canbo_ct"]
        Assignment.objects.create(
            user=user, unit=roster.units["tien_kien"], role=Role.COMMUNE_OFFICER
        )
        user = type(user).objects.get(pk=user.pk)  # its assignments read again
    else:
        user = users[persona]
    user_assignments(user)  # read once for the user, as on a request
    for model, path_field, select_related in SHAPES:
        pks = [*sorted(model.objects.values_list("pk", flat=True)), 999_999, 10**20]
        for pk in pks:
            for perm in (Perm.VIEW, Perm.EDIT_ROSTER):
                with CaptureQueriesContext(connection) as orm:
                    expected = one(
                        model.objects.filter(scope_q(user, perm, path_field=path_field))
                        .select_related(*select_related)
                        .filter(pk=pk)
                    )
                for _ in range(2):  # compiled on the first call, reused on the second
                    with CaptureQueriesContext(connection) as ours:
                        found = one_in_scope(
                            model,
                            user,
                            pk,
                            path_field=path_field,
                            select_related=select_related,
                            perm=perm,
                        )
                    assert _statements(ours) == _statements(orm), (model, pk, perm)
                    assert _loaded(found, select_related) == _loaded(expected, select_related)
    # Compiled once: the ORM's compiler no longer runs for the shape.
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")):
        found = one_in_scope(
            Team,
            user,
            roster.teams["tk1"].pk,
            path_field="commune__path",
            select_related=("commune",),
        )
    assert (found is not None) == (persona in {"canbo_xa1", "congan_tinh", "two_units", "admin"})
