"""SQLite as `make run` uses it: reads never take the write lock, writes still take it first.

Django's SQLite backend starts every transaction with one mode (OPTIONS["transaction_mode"]).
With ATOMIC_REQUESTS every request is a transaction, so IMMEDIATE (take the write lock at
BEGIN, so that two requests never both read and then both try to write, which SQLite refuses
with "database is locked") made every page, PDF download and login form wait in one queue
for the one writer, up to the busy timeout, and then fail with a 500.

This backend keeps IMMEDIATE for every transaction except those begun while `reading()` is
on, which begin DEFERRED: in write-ahead-log mode such a transaction reads one consistent
snapshot and never waits for, nor blocks, a writer. `config.middleware.ReadRequestMiddleware`
turns it on for GET, HEAD and OPTIONS requests (writes are POST views, and they keep
IMMEDIATE: tests/test_sqlite_requests.py).

A few GET views do write (a province PDF starts a background job and records it). Taking the
write lock in the middle of a deferred transaction is refused by SQLite at once, without
waiting, when another write committed since the transaction's first read ("database is
locked"). So at its first write statement a read transaction that has written nothing is ended
and an IMMEDIATE one begun in its place (with the open savepoints set again): the write waits
for the lock like any other. What the view read before comes from the earlier snapshot, as
under PostgreSQL's READ COMMITTED, the isolation the app is written for.

Django offers no per-request transaction mode, hence this small subclass.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db.backends.sqlite3 import base

_reading: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "antt_sqlite_reading", default=False
)


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """Transactions begun inside this block only read: BEGIN DEFERRED."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def is_reading() -> bool:
    return _reading.get()


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class CursorWrapper(base.SQLiteCursorWrapper):
    wrapper: DatabaseWrapper

    def execute(self, query, params=None):
        if self.wrapper.read_transaction and query.lstrip()[:7].upper().startswith(WRITES):
            self.wrapper.begin_writing()
        return super().execute(query, params)

    def executemany(self, query, param_list):
        if self.wrapper.read_transaction and query.lstrip()[:7].upper().startswith(WRITES):
            self.wrapper.begin_writing()
        return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    #: the open transaction began DEFERRED for a read and has written nothing yet
    read_transaction = False

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.wrapper = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        if _reading.get():
            self.cursor().execute("BEGIN DEFERRED")
            self.read_transaction = True
        else:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]

    def begin_writing(self) -> None:
        """Swap the read transaction (nothing written) for one that holds the write lock."""
        self.read_transaction = False
        with self.wrap_database_errors:
            self.connection.execute("COMMIT")
            self.connection.execute("BEGIN IMMEDIATE")
            for sid in self.savepoint_ids:
                if sid is not None:
                    self.connection.execute(f"SAVEPOINT {self.ops.quote_name(sid)}")

    def _commit(self):
        self.read_transaction = False
        return super()._commit()  # type: ignore[misc]

    def _rollback(self):
        self.read_transaction = False
        return super()._rollback()  # type: ignore[misc]

    def _close(self):
        self.read_transaction = False
        return super()._close()  # type: ignore[misc]
