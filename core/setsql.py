"""Set-based writes the ORM has no verb for: rows made from other rows inside the database.

`insert_select` is `INSERT INTO table (columns) SELECT expressions FROM <a queryset>`: one
statement, whatever the number of rows, and no model instance built in Python. The SELECT is
compiled by Django from an ordinary queryset (its filters, joins and expressions), so it is
the same SQL on SQLite and PostgreSQL.

`insert_rows` writes plain tuples the fastest way each database offers: COPY on PostgreSQL,
one prepared INSERT run over all rows (`executemany`) on SQLite; no model instance, no
multi-row statement built per batch.

`record_history` writes django-simple-history rows the same way as `insert_select`: one history row per row of a
queryset, as it stands now (what `bulk_history_create` does, without loading the rows). The
carry-over of a province writes tens of thousands of them (issue 13, Scale).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.utils import timezone


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
    Every column without a database default must be named. Returns the number of rows."""
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in columns]
    aliases = [f"setsql_{i}" for i in range(len(fields))]
    select = (
        queryset.order_by()
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
