"""Set-based writes the ORM has no verb for: rows made from other rows inside the database.

`insert_select` is `INSERT INTO table (columns) SELECT expressions FROM <a queryset>`: one
statement, whatever the number of rows, and no model instance built in Python. The SELECT is
compiled by Django from an ordinary queryset (its filters, joins and expressions), so it is
the same SQL on SQLite and PostgreSQL.

`insert_rows` writes plain tuples the fastest way each database offers: COPY on PostgreSQL,
one prepared INSERT run over all rows (`executemany`) on SQLite; no model instance, no
multi-row statement built per batch.

`IdIn(field, ids)` is `field IN (ids)` as one array parameter on PostgreSQL (`= ANY(%s)`): a
national run filters a dozen queries by the country's 3,321 communes, and each list of 3,321
placeholders cost PostgreSQL ~10 ms to parse and plan and Django as long to build (issue 17
§1). SQLite keeps Django's IN list.

`stream_rows(queryset)` reads a large `values_list` queryset as PostgreSQL sends it: the rows
come in chunks while the server is still producing the rest (psycopg's `stream`), so the
caller's work on the first rows overlaps the server's work on the next instead of waiting for
the whole result (the national run's 276,000 memberships, issue 17 §1). Elsewhere it is the
queryset itself.

`update_by_pk(model, field, values)` sets one column of many rows, each to its own value, in
one UPDATE (`CASE id WHEN … THEN …`), where `bulk_update` would send a statement per batch and
saving each row one per row: the demo's workflow actions get their times this way.

`record_history` writes django-simple-history rows the same way as `insert_select`: one history row per row of a
queryset, as it stands now (what `bulk_history_create` does, without loading the rows). The
carry-over of a province writes tens of thousands of them (issue 13, Scale).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import BooleanField, Case, F, Value, When
from django.db.models.expressions import Combinable, Expression
from django.db.models.lookups import In
from django.utils import timezone


def update_by_pk(model: type[models.Model], field: str, values: dict[Any, Any]) -> int:
    """Set `field` of each row whose id is a key of `values` to its value, in one UPDATE.
    Returns the number of rows."""
    if not values:
        return 0
    output = model._meta.get_field(field)
    assert isinstance(output, models.Field)  # a column, not a reverse relation
    whens = [When(pk=pk, then=Value(value, output_field=output)) for pk, value in values.items()]
    return model._default_manager.filter(pk__in=list(values)).update(
        **{field: Case(*whens, output_field=output)}
    )


def _expression(value: Any, field: Any) -> Any:
    if isinstance(value, Combinable) or hasattr(value, "resolve_expression"):
        return value
    if field.is_relation:  # a constant id: typed as the column it is stored in
        field = field.target_field
    return Value(value, output_field=field)


def insert_select(
    model: type[models.Model], queryset: models.QuerySet, columns: dict[str, Any]
) -> int:
    """Insert one row of `model` per row of `queryset`: `columns` maps each field name of
    `model` to an expression over the queryset's model (F("…"), Case, …) or a constant.
    Every column without a database default must be named. Returns the number of rows.

    The rows go in the order of the queryset's ids, so the new rows' ids follow them the same
    way on every run: without an ORDER BY the order is the planner's (a hash join's), and the
    same demo gave its carried-over memberships other ids from one run to the next."""
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in columns]
    aliases = [f"setsql_{i}" for i in range(len(fields))]
    select = (
        queryset.order_by("pk")
        .annotate(
            **{
                alias: _expression(value, field)
                for alias, value, field in zip(aliases, columns.values(), fields, strict=True)
            }
        )
        .values_list(*aliases)
    )
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


class IdIn(Expression):
    """`field IN (ids)` as a filter: `queryset.filter(IdIn("team__commune_id", communes))`.
    `ids`: ids or model instances (their pk). One array parameter on PostgreSQL, whatever the
    number of ids; Django's own IN lookup elsewhere. Unlike `__in`, `exclude(IdIn(…))` of a
    nullable column drops its NULL rows too (plain SQL NOT): the runs filter non-null ids."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str | Any, ids: Iterable[Any]):
        super().__init__()
        self.lhs: Any = F(field) if isinstance(field, str) else field
        self.ids = [getattr(i, "pk", i) for i in ids]

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, exprs):
        (self.lhs,) = exprs

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return In(self.lhs, self.ids).as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        # Typed as the column, so that the comparison uses its index (an untyped list of
        # Python ints may be sent as numeric[]).
        array = f"{self.lhs.output_field.db_type(connection)}[]"
        # Sent as the array's text ('{1,2,3}'): psycopg would dump a list element by element
        # in Python, ~25 ms for 3,321 ids, again in each query.
        literal = "{" + ",".join(str(int(i)) for i in self.ids) + "}"
        return f"{sql} = ANY(%s::{array})", (*params, literal)


def stream_rows(queryset: models.QuerySet, *, size: int = 2000) -> Iterator[tuple]:
    """The rows of a `values_list` queryset, the same values (Django's converters applied)
    in the order the database sends them; on PostgreSQL `size` rows at a time as they come.
    The connection serves nothing else until the last row is read, and Django's
    `execute_wrapper` hooks do not see the query (the debug log, which tests count, does)."""
    if connection.vendor != "postgresql":
        yield from queryset
        return
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a filter no row can match (an empty IN list)
        return
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    with connection.cursor() as cursor:
        # Logged like any query (tests and benchmarks count them), by the debug cursor's own
        # timer when queries are being recorded.
        debug = getattr(cursor, "debug_sql", None)
        with (
            connection.wrap_database_errors,
            debug(sql, params, use_last_executed_query=True) if debug else nullcontext(),
        ):
            rows = cursor.cursor.stream(sql, params, size=size)
            if converters:
                rows = compiler.apply_converters(rows, converters)
            yield from rows


def record_history(
    queryset: models.QuerySet,
    *,
    history_type: str,
    user_id: int | None,
    reason: str,
    when: datetime.datetime | None = None,
) -> int:
    """One django-simple-history row per row of `queryset` ("+" created, "~" changed), taken
    from the row as it is in the database now. Returns the number of history rows."""
    model = queryset.model
    historical = model.history.model
    columns: dict[str, Any] = {}
    for field in historical._meta.concrete_fields:
        if field.name.startswith("history_"):
            continue
        columns[field.name] = F(field.attname)
    columns |= {
        "history_date": when or timezone.now(),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": user_id,
    }
    return insert_select(historical, queryset, columns)


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert `rows` (tuples of database values in `fields` order: ids for foreign keys,
    JSON already encoded as text) into `model`'s table."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns: list[Any] = [meta.get_field(name) for name in fields]
    names = ", ".join(quote(field.column) for field in columns)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", list(rows))
