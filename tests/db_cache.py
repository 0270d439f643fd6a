"""The migrated test database, built once and reused while the migrations stay the same.

Migrating an empty database takes each test worker several seconds (SQLite rebuilds tables
for every altered field), and `make test` starts two workers per database. So the first worker
that needs it migrates as usual and keeps a copy; every later worker, and every later run,
starts from that copy instead of migrating again:

- SQLite (the in-memory test database): the copy is a file in the user's cache directory
  (``$ANTT_TEST_DB_CACHE``, default ``~/.cache/antt-teams/test-db``), copied into the
  in-memory database with SQLite's backup API;
- PostgreSQL: the copy is a template database on the server (``antt_tpl_<key>``), and the
  worker's test database is created with ``CREATE DATABASE … TEMPLATE`` (Django's
  ``TEST["TEMPLATE"]``).

The key is a hash of every installed app's migration files (the project's and the libraries'),
Django's version and the database engine: a new or edited migration, or a library upgrade,
gives a new key and the next run migrates again. A file lock lets one worker build the copy
while the other waits for it. ``ANTT_TEST_DB_CACHE=off`` migrates every time, as Django does.

Nothing of the test data is cached: each test still builds its own rows. No library does
this for pytest-django (its ``--reuse-db`` keeps one database per worker between runs, not a
shared copy, and still runs ``migrate`` to check it), hence this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
from pathlib import Path
from unittest import mock

import django
from django.apps import apps
from django.db import connection


def cache_dir() -> Path | None:
    setting = os.environ.get("ANTT_TEST_DB_CACHE", "")
    if setting.lower() in {"off", "0", "no"}:
        return None
    path = Path(setting) if setting else Path.home() / ".cache" / "antt-teams" / "test-db"
    path.mkdir(parents=True, exist_ok=True)
    return path


def migrations_key() -> str:
    """Hash of what a migrated empty database depends on."""
    digest = hashlib.sha256()
    digest.update(f"{django.__version__} {connection.vendor} {sqlite3.sqlite_version}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for file in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{config.label}/{file.name}".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def load_sqlite_file(path: Path) -> None:
    """The connection's (in-memory) SQLite database becomes a copy of the file's."""
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def save_sqlite_file(path: Path) -> None:
    """The connection's SQLite database is copied to the file, whole or not at all (written
    beside it, then renamed: a worker reading it never sees half a copy)."""
    connection.ensure_connection()
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, path)


class MigratedCopy:
    """Wraps pytest-django's database setup: `before()` decides whether this worker migrates,
    `after()` restores or stores the copy."""

    def __init__(self) -> None:
        self.folder = cache_dir()
        self.key = migrations_key() if self.folder else ""
        self.vendor = connection.vendor
        self.hit = False
        self._lock: int | None = None
        self._patch: contextlib.AbstractContextManager | None = None

    # -- where the copy lives --------------------------------------------------------------

    @property
    def sqlite_file(self) -> Path:
        assert self.folder is not None
        return self.folder / f"{self.key}.sqlite3"

    @property
    def template_name(self) -> str:
        return f"antt_tpl_{self.key}"

    def supported(self) -> bool:
        if self.folder is None:
            return False
        if self.vendor == "sqlite":
            return connection.creation.is_in_memory_db(
                connection.settings_dict["TEST"].get("NAME") or ":memory:"
            )
        return self.vendor == "postgresql"

    def _exists(self) -> bool:
        if self.vendor == "sqlite":
            return self.sqlite_file.exists()
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template_name])
            return cursor.fetchone() is not None

    # -- the two halves around Django's setup_databases -------------------------------------

    def before(self) -> None:
        if not self.supported():
            return
        assert self.folder is not None
        self._lock = os.open(self.folder / f"{self.key}.lock", os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._lock, fcntl.LOCK_EX)  # released in after(), once the copy exists
        self.hit = self._exists()
        if not self.hit:
            return
        if self.vendor == "postgresql":
            connection.settings_dict["TEST"]["TEMPLATE"] = self.template_name
        from django.core import management

        original = management.call_command

        def call_command(name, *args, **kwargs):
            if name == "migrate":
                return None  # the copy is already migrated
            return original(name, *args, **kwargs)

        self._patch = mock.patch.object(management, "call_command", call_command)
        self._patch.__enter__()

    def after(self) -> None:
        if self._patch is not None:
            self._patch.__exit__(None, None, None)
            self._patch = None
        if self._lock is None:
            return
        try:
            if self.hit and self.vendor == "sqlite":
                self._load_sqlite()
            elif not self.hit:
                self._store()
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            os.close(self._lock)
            self._lock = None
        if self.hit and hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()

    def _load_sqlite(self) -> None:
        load_sqlite_file(self.sqlite_file)

    def _store(self) -> None:
        if self.vendor == "sqlite":
            save_sqlite_file(self.sqlite_file)
            return
        # PostgreSQL: the worker's freshly migrated database becomes the template (nobody may
        # be connected to it meanwhile, so this connection is closed first).
        test_db = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            qn = connection.ops.quote_name
            with contextlib.suppress(Exception):  # another machine made it meanwhile
                cursor.execute(f"CREATE DATABASE {qn(self.template_name)} TEMPLATE {qn(test_db)}")
