"""core.setsql's read helpers: `IdIn` filters like `__in` (one array parameter on PostgreSQL)
and `stream_rows` gives the rows a `values_list` queryset gives, logged as one query; and
`update_by_pk`, each row's own value in one UPDATE."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from core.setsql import IdIn, stream_rows, update_by_pk
from teams.models import AdministrativeUnit, Membership, Tree

pytestmark = pytest.mark.django_db


def test_id_in_selects_what_in_selects(world):
    units = list(AdministrativeUnit.objects.order_by("pk"))
    some = units[::2]
    expected = list(AdministrativeUnit.objects.filter(pk__in=[u.pk for u in some]).order_by("pk"))
    assert list(AdministrativeUnit.objects.filter(IdIn("pk", some)).order_by("pk")) == expected
    ids = [u.pk for u in some]
    assert list(AdministrativeUnit.objects.filter(IdIn("pk", ids)).order_by("pk")) == expected
    # Through a relation, combined with other filters, and negated.
    parents = {u.parent_id for u in units if u.parent_id}
    assert set(
        AdministrativeUnit.objects.filter(IdIn("parent_id", parents), tree=Tree.CURRENT)
    ) == set(AdministrativeUnit.objects.filter(parent__in=parents, tree=Tree.CURRENT))
    assert set(AdministrativeUnit.objects.exclude(IdIn("pk", ids))) == set(units) - set(some)


def test_id_in_nothing_selects_nothing(world):
    assert list(AdministrativeUnit.objects.filter(IdIn("pk", []))) == []
    assert AdministrativeUnit.objects.exclude(IdIn("pk", [])).count() == len(
        AdministrativeUnit.objects.all()
    )


def test_id_in_is_one_parameter_on_postgresql(world):
    ids = list(AdministrativeUnit.objects.values_list("pk", flat=True))
    sql, params = AdministrativeUnit.objects.filter(IdIn("pk", ids)).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and params == ("{" + ",".join(map(str, ids)) + "}",)
    else:
        assert len(params) == len(ids)


def test_stream_rows_gives_the_querysets_rows_in_one_logged_query(roster):
    queryset = (
        Membership.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte="2025-01-01"))
        .values_list("pk", "start_date", "end_date", "team__commune_id", "person__full_name")
        .order_by("pk")
    )
    assert queryset.count() > 2
    with CaptureQueriesContext(connection) as queries:
        streamed = list(stream_rows(queryset, size=2))  # several chunks
    assert streamed == list(queryset) and len(queries) == 1
    assert list(stream_rows(Membership.objects.filter(IdIn("pk", [])).values_list("pk"))) == []


def test_update_by_pk_sets_each_rows_value_in_one_update(world):
    units = list(AdministrativeUnit.objects.order_by("pk")[:3])
    names = {unit.pk: f"{unit.name} (mới {i})" for i, unit in enumerate(units[:2])}
    with CaptureQueriesContext(connection) as queries:
        assert update_by_pk(AdministrativeUnit, "name", names) == 2
    assert len(queries) == 1
    after = dict(
        AdministrativeUnit.objects.filter(pk__in=[u.pk for u in units]).values_list("pk", "name")
    )
    assert after == names | {units[2].pk: units[2].name}  # a row not named is left as it was
    with CaptureQueriesContext(connection) as queries:
        assert update_by_pk(AdministrativeUnit, "name", {}) == 0
    assert len(queries) == 0
