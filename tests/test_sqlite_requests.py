"""SQLite holds several officers at once: read requests take no write lock (config/sqlite3).

On a real SQLite file in write-ahead-log mode, with the settings `make run` uses:

- while one request holds the write lock (a save in progress), ten concurrent read
  transactions, begun the way a GET request begins them, all succeed at once and see the data
  as it was before the save;
- a transaction begun outside `reading()` (a POST, the task worker) still takes the write lock
  when it begins: it waits for the writer, and with a short busy timeout it is refused rather
  than interleaved (the safety IMMEDIATE gave every request before);
- a GET that does write (a province PDF records its background job) does not fail when
  another write committed since its first read: its transaction takes the write lock at its
  first write, waiting for it like any other, inside savepoints as well;
- the middleware turns `reading()` on for GET, HEAD and OPTIONS and never for POST.

bench/bench_load.py runs the whole stack (gunicorn, 20 officers, PDFs, the login page).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import ReadRequestMiddleware
from config.sqlite3.base import is_reading, reading

HOLD = 1.0  # seconds the writer keeps the write lock


def sqlite_file_connections(path, timeout: float) -> ConnectionHandler:
    """Connections (one per thread) to a SQLite file, configured as config.settings.base."""
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "config.sqlite3",
                "NAME": str(path),
                "ATOMIC_REQUESTS": True,
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": timeout,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                },
            }
        }
    )


def begin(conn) -> None:
    """What transaction.atomic() does when it opens the outermost block on SQLite."""
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(conn) -> None:
    conn.rollback()
    conn.set_autocommit(True)


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A throw-away SQLite file of its own (not the test database: these connections are
    opened here, pytest-django is told so)."""
    django_db_blocker.unblock()
    handler = sqlite_file_connections(tmp_path / "db.sqlite3", timeout=5)
    conn = handler["default"]
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE area (id integer PRIMARY KEY, households integer)")
        cursor.execute("INSERT INTO area VALUES (1, 350)")
    assert conn.cursor().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    yield tmp_path / "db.sqlite3"
    handler.close_all()
    django_db_blocker.restore()


def hold_write_lock(path, locked: threading.Event, done: threading.Event):
    """A save in progress: the write lock taken, a row changed, not committed for HOLD s."""
    handler = sqlite_file_connections(path, timeout=5)
    conn = handler["default"]
    begin(conn)
    conn.cursor().execute("UPDATE area SET households = 999 WHERE id = 1")
    locked.set()
    done.wait(HOLD)
    conn.commit()
    conn.set_autocommit(True)
    handler.close_all()


def test_reads_during_a_write_neither_wait_nor_fail(database):
    locked, done = threading.Event(), threading.Event()
    writer = threading.Thread(target=hold_write_lock, args=(database, locked, done))
    writer.start()
    assert locked.wait(10)
    handler = sqlite_file_connections(database, timeout=5)
    results: list[tuple[float, int] | BaseException] = []

    def read():
        conn = handler["default"]  # this thread's own connection
        start = time.perf_counter()
        try:
            with reading():
                begin(conn)
                households = conn.cursor().execute("SELECT households FROM area").fetchone()[0]
                end(conn)
            results.append((time.perf_counter() - start, households))
        except BaseException as exc:  # collected and asserted below
            results.append(exc)
        finally:
            conn.close()

    readers = [threading.Thread(target=read) for _ in range(10)]
    for t in readers:
        t.start()
    for t in readers:
        t.join(10)
    still_locked = writer.is_alive()
    done.set()
    writer.join(10)
    assert still_locked, "the writer let go before the readers finished: nothing was shown"
    assert len(results) == 10
    assert not [r for r in results if isinstance(r, BaseException)], results
    # none waited for the writer (HOLD s), and each saw the committed value, not the save's
    assert all(seconds < HOLD / 2 and value == 350 for seconds, value in results), results


def test_writes_still_take_the_write_lock_when_they_begin(database):
    locked, done = threading.Event(), threading.Event()
    writer = threading.Thread(target=hold_write_lock, args=(database, locked, done))
    writer.start()
    assert locked.wait(10)
    impatient = sqlite_file_connections(database, timeout=0.2)["default"]
    try:
        with pytest.raises(OperationalError, match="locked"):
            begin(impatient)  # BEGIN IMMEDIATE: refused, not interleaved with the save
    finally:
        done.set()
        writer.join(10)
    # once the writer is done, a write transaction goes through and sees its commit
    patient = sqlite_file_connections(database, timeout=5)["default"]
    begin(patient)
    patient.cursor().execute("UPDATE area SET households = households + 1")
    patient.commit()
    patient.set_autocommit(True)
    assert patient.cursor().execute("SELECT households FROM area").fetchone()[0] == 1000
    patient.close()
    impatient.close()


def commit_elsewhere(path, households: int) -> None:
    """Another request's save, committed (in its own thread and connection)."""

    def save():
        handler = sqlite_file_connections(path, timeout=5)
        conn = handler["default"]
        begin(conn)
        conn.cursor().execute("UPDATE area SET households = %s WHERE id = 1", [households])
        conn.commit()
        conn.set_autocommit(True)
        handler.close_all()

    t = threading.Thread(target=save)
    t.start()
    t.join(10)


@pytest.mark.parametrize("in_savepoint", [False, True], ids=["plain", "savepoint"])
def test_a_get_that_writes_after_another_commit_goes_through(database, in_savepoint):
    from django.db import OperationalError as DjangoOperationalError

    handler = sqlite_file_connections(database, timeout=5)
    conn = handler["default"]
    with reading():
        begin(conn)
        cursor = conn.cursor()
        assert cursor.execute("SELECT households FROM area").fetchone()[0] == 350
        assert conn.read_transaction
        commit_elsewhere(database, 400)  # plain SQLite would now refuse this one's write
        if in_savepoint:
            sid = conn.savepoint()
            conn.savepoint_ids.append(sid)
        try:
            cursor.execute("INSERT INTO area VALUES (2, 120)")
        except DjangoOperationalError as exc:  # pragma: no cover - the fault this prevents
            pytest.fail(f"a GET's write was refused: {exc}")
        assert not conn.read_transaction
        if in_savepoint:
            conn.savepoint_commit(conn.savepoint_ids.pop())
        conn.commit()
        conn.set_autocommit(True)
    rows = conn.cursor().execute("SELECT id, households FROM area ORDER BY id").fetchall()
    assert rows == [(1, 400), (2, 120)]  # both saves kept
    handler.close_all()


def test_a_rolled_back_get_writes_nothing(database):
    handler = sqlite_file_connections(database, timeout=5)
    conn = handler["default"]
    with reading():
        begin(conn)
        conn.cursor().execute("UPDATE area SET households = 1")
        end(conn)
    assert conn.cursor().execute("SELECT households FROM area").fetchone()[0] == 350
    handler.close_all()


@pytest.mark.parametrize(
    ("method", "reads"),
    [("get", True), ("head", True), ("options", True), ("post", False), ("put", False)],
)
def test_only_safe_methods_read(method, reads):
    seen = []

    def view(request):
        seen.append(is_reading())
        return HttpResponse()

    ReadRequestMiddleware(view)(getattr(RequestFactory(), method)("/"))
    assert seen == [reads]
    assert not is_reading()  # and it is off again after the request


def test_the_settings_use_this_backend_on_sqlite():
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["ENGINE"] == "config.sqlite3"
    assert "config.middleware.ReadRequestMiddleware" in settings.MIDDLEWARE
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
