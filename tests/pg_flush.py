"""On PostgreSQL, a transactional test's flush empties the tables with DELETE, not TRUNCATE.

A test that commits (`transaction=True`: the browser tests, the threads of test_concurrency,
the killed worker) ends with Django's `flush`, whose PostgreSQL statement is one
``TRUNCATE`` of every table (86). TRUNCATE gives each table a new file and drops the old one at
commit: ~1.8 s of the server's time for a database that holds a few dozen rows, measured on
this machine, against a few milliseconds for DELETEs of the same rows. Over the ~25
transactional tests of a run that was about a tenth of the PostgreSQL suite.

DELETE in any order is safe because every foreign key Django creates on PostgreSQL is
``DEFERRABLE INITIALLY DEFERRED`` and the flush runs in one transaction: the keys are checked at
its commit, when every table is empty. The rows are gone just the same; sequences are not
reset by either (a flush asked to reset them, or to cascade, keeps Django's TRUNCATE).

SQLite's flush is DELETE already, of every table: the content types and permissions too, which
the post_migrate signal then writes again (~400 rows, ~35 ms a test, 0.5 s over the browser
tests); there too they are kept. With them kept, the signal has nothing to do and is not sent.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.backends.sqlite3 import base as _sqlite  # noqa: F401  (operations imports base)
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations

_truncate = DatabaseOperations.sql_flush
_sqlite_delete = SQLiteOperations.sql_flush

# What `migrate` wrote and the flush's post_migrate signal would write again, row for row (the
# content types and their permissions: ~400 inserts, 0.25–0.5 s a test): kept, so the signal
# finds them there.
KEPT = frozenset({"django_content_type", "auth_permission"})


def _delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade:
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return [
        f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} "
        f"{style.SQL_FIELD(self.quote_name(table))};"
        for table in tables
        if table not in KEPT
    ]


def _sqlite_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade:
        return _sqlite_delete(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return _sqlite_delete(self, style, [table for table in tables if table not in KEPT])


def _flush_keeping_what_migrate_wrote(handle):
    """The flush's post_migrate signal, then, has nothing to write: the content types and
    permissions are the rows `migrate` wrote, kept (contenttypes and auth are the project's
    only post_migrate receivers). It still read them, ~67 queries, 0.1-0.15 s of a
    PostgreSQL test's teardown: not sent when the flush kept them."""

    def flush(self, **options):
        if not options.get("reset_sequences", True) and not options.get("allow_cascade", False):
            options["inhibit_post_migrate"] = True
        return handle(self, **options)

    return flush


def install() -> None:
    from django.core.management.commands import flush

    DatabaseOperations.sql_flush = _delete
    SQLiteOperations.sql_flush = _sqlite_flush
    flush.Command.handle = _flush_keeping_what_migrate_wrote(flush.Command.handle)
