"""The seeded demo, built once and reused while nothing it is made of changes.

`tests/workspace/test_seed_demo.py` checks the demo that `seed_demo` builds: ~13 s of CPU to
seed on SQLite (more on PostgreSQL), on each run and each database. So the first run that
needs it seeds as usual and keeps a copy; later runs switch the worker's connection to that
copy for the module, and back to the worker's own database (empty and migrated, as the worker's
other tests expect) afterwards. The module's tests run inside one transaction that is rolled
back (each test in a savepoint inside it), so the copy is never changed:

- SQLite (the in-memory test database): the copy is a file in the cache directory of
  tests/db_cache.py, loaded into the in-memory database with SQLite's backup API (~0.1 s);
  the worker's own database waits meanwhile in a second in-memory database, loaded back the
  same way;
- PostgreSQL: the copy is a database on the server (``antt_demo_<key>``), seeded under a
  temporary name and renamed once complete; the module's connection is to it, under the
  lock (see `_Copy._postgresql`), and the worker's own database is left as it is.

What the seeding returned (the count of allowance-run writes the module checks) and the files
it stored (an incident's scanned document, in the test settings' in-memory storage) are kept
beside the copy, in ``demo-<key>.json``, and given back with it.

The key is the migrations key (tests/db_cache.py: migration files, Django's version, the
engine) plus a hash of everything the demo is made of: the project's sources outside tests/,
bench/ and docs/ (Python, templates, rule fixtures, translations, the locks), the installed
distributions' versions (the official units come from one), and today's date, both the
server's and Vietnam's (the demo is dated relative to today). Any edit to a demo part, a
service or a rule therefore seeds again on the next run; a run on an unchanged tree the same
day does not. A file lock per key lets one worker build the copy while another waits for it.
The few most recently used copies are kept, older ones removed. ``ANTT_TEST_DB_CACHE=off``
seeds every time, inside a transaction rolled back at the end, as before.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import fcntl
import hashlib
import inspect
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tests.db_cache import cache_dir, load_sqlite_file, migrations_key, save_sqlite_file

# What the demo is made of: these kinds of file anywhere in the project but in these folders.
SOURCE_SUFFIXES = frozenset(
    {".py", ".toml", ".html", ".txt", ".css", ".js", ".json", ".csv", ".po", ".mo", ".cfg"}
)
SKIPPED_FOLDERS = frozenset({"tests", "bench", "docs", "media", "staticfiles", "node_modules"})
# Copies kept per database engine: a few worktrees may run the suite side by side, each with
# its own sources; a copy is made for one day (the date is in its key), so older ones go too.
KEPT_COPIES = 6
KEPT_FOR = 24 * 3600  # seconds since last used


def sources_digest(root: Path | None = None) -> str:
    root = Path(root or settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith((".", "__"))
            and not name.endswith(".egg-info")
            and not (folder == str(root) and name in SKIPPED_FOLDERS)
            and not (Path(folder, name) / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            if os.path.splitext(name)[1] in SOURCE_SUFFIXES:
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes())
    for dist in installed_distributions():
        digest.update(dist.encode() + b"\n")
    return digest.hexdigest()


def installed_distributions() -> list[str]:
    """The installed distributions with their versions, by their metadata folders' names
    (`name-1.2.dist-info`: reading each one's metadata instead took 0.2 s)."""
    found = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found.update(
                name
                for name in os.listdir(entry or ".")
                if name.endswith((".dist-info", ".egg-info"))
            )
    return sorted(found)


def demo_key(build: Callable[[], dict]) -> str:
    """What the copy depends on: see the module's docstring; also how it is built (`build`'s
    source and this module's)."""
    digest = hashlib.sha256()
    days = f"{datetime.date.today()} {timezone.localdate()}"
    digest.update(f"{migrations_key()} {days} {sources_digest()}".encode())
    digest.update(inspect.getsource(build).encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def demo_database(build: Callable[[], dict]) -> Iterator[dict]:
    """The connection on a database holding the demo, for the `with` block; `build()` seeds it
    (on an empty migrated database, outside any transaction) and returns what to keep beside
    it (JSON). Yields that, as stored. The block must leave the demo as it found it: run
    its work in a transaction that is rolled back (on PostgreSQL, where the block runs in the
    copy itself, the copy is checked afterwards)."""
    folder = cache_dir()
    vendor = connection.vendor
    in_memory = vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.settings_dict["NAME"]
    )
    if folder is None or not (in_memory or vendor == "postgresql"):
        with transaction.atomic():  # seeded for real, rolled back at the end
            yield build()
            transaction.set_rollback(True)
        return
    assert not connection.in_atomic_block, "the demo's database is switched outside a transaction"
    copy = _Copy(folder, demo_key(build), vendor)
    with copy.switched(build) as meta:
        yield meta


class _Copy:
    def __init__(self, folder: Path, key: str, vendor: str) -> None:
        self.folder, self.key, self.vendor = folder, key, vendor
        self.meta_file = folder / f"demo-{key}.json"
        self.sqlite_file = folder / f"demo-{key}.sqlite3"
        self.copy_name = f"antt_demo_{key}"

    # -- the lock and the metadata ---------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, key: str | None = None, *, wait: bool = True) -> Iterator[bool]:
        lock = os.open(self.folder / f"demo-{key or self.key}.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        finally:
            os.close(lock)

    def _meta(self) -> dict | None:
        """What was stored beside the copy, when the copy is complete (the JSON file is written
        last)."""
        try:
            meta = json.loads(self.meta_file.read_text())
        except (OSError, ValueError):
            return None
        if self.vendor == "sqlite" and not self.sqlite_file.exists():
            return None
        if self.vendor == "postgresql" and not self._pg_exists(self.copy_name):
            return None
        return meta

    def _write_meta(self, meta: dict) -> None:
        partial = self.meta_file.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(meta))
        os.replace(partial, self.meta_file)

    # -- the switch ------------------------------------------------------------------------

    @contextlib.contextmanager
    def switched(self, build: Callable[[], dict]) -> Iterator[dict]:
        switch = self._sqlite if self.vendor == "sqlite" else self._postgresql
        with switch(build) as meta:
            files = _restore_files(meta.get("files", {}))
            try:
                yield meta["kept"]
            finally:
                _remove_files(files)
        with contextlib.suppress(OSError):
            os.utime(self.meta_file)  # recently used
        self._prune()

    def _built(self, build: Callable[[], dict]) -> dict:
        with transaction.atomic():
            kept = build()
        return {"vendor": self.vendor, "kept": kept, "files": _stored_files()}

    @contextlib.contextmanager
    def _sqlite(self, build: Callable[[], dict]) -> Iterator[dict]:
        from django.contrib.contenttypes.models import ContentType

        connection.ensure_connection()
        own = sqlite3.connect(":memory:")  # the worker's database, meanwhile
        try:
            connection.connection.backup(own)
            with self._locked():
                meta = self._meta()
                if meta is None:
                    meta = self._built(build)
                    save_sqlite_file(self.sqlite_file)
                    self._write_meta(meta)
                else:
                    load_sqlite_file(self.sqlite_file)
            ContentType.objects.clear_cache()
            try:
                yield meta
            finally:
                own.backup(connection.connection)
                ContentType.objects.clear_cache()
        finally:
            own.close()

    @contextlib.contextmanager
    def _postgresql(self, build: Callable[[], dict]) -> Iterator[dict]:
        """The module runs in the copy itself, inside a transaction that is rolled back (a
        clone of it per run took 0.5–2.5 s of the server's time). The lock is held meanwhile,
        so that a second run on the same key waits rather than sharing it, and the copy is
        checked afterwards: a test that committed (a transactional one, whose flush would
        empty it) gets it removed and an error."""
        from django.contrib.contenttypes.models import ContentType

        own = connection.settings_dict["NAME"]
        connection.close()
        try:
            with self._locked():
                meta = self._meta()
                if meta is None:
                    meta = self._pg_build(build, own)
                connection.settings_dict["NAME"] = self.copy_name
                ContentType.objects.clear_cache()
                yield meta
                changed = _fingerprint() != meta["fingerprint"]
                if changed:
                    self.meta_file.unlink(missing_ok=True)
                connection.close()
                if changed:
                    self._pg("DROP DATABASE IF EXISTS {}", self.copy_name)
                    raise AssertionError(
                        f"a test changed the demo's copy ({self.copy_name}, now removed): the "
                        "module's tests must run inside its transaction, not commit"
                    )
        finally:
            connection.close()
            connection.settings_dict["NAME"] = own
            ContentType.objects.clear_cache()

    def _pg_build(self, build: Callable[[], dict], own: str) -> dict:
        """Seeds a clone of the worker's database (empty, migrated) under a temporary name,
        renamed once it is complete."""
        partial = f"{self.copy_name}_part"
        self._pg("DROP DATABASE IF EXISTS {}", partial)
        self._pg("DROP DATABASE IF EXISTS {}", self.copy_name)
        self._pg("CREATE DATABASE {} TEMPLATE {}", partial, own)
        connection.settings_dict["NAME"] = partial
        try:
            meta = self._built(build)
            meta["fingerprint"] = _fingerprint()
        finally:
            connection.close()
            connection.settings_dict["NAME"] = own
        self._pg("ALTER DATABASE {} RENAME TO {}", partial, self.copy_name)
        self._write_meta(meta)
        return meta

    def _pg(self, statement: str, *names: str) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(statement.format(*map(connection.ops.quote_name, names)))

    def _pg_exists(self, name: str) -> bool:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    # -- the old copies --------------------------------------------------------------------

    def _prune(self) -> None:
        """Removes this engine's copies but the few most recently used, and those unused for a
        day (another key's copy is removed only if no one holds its lock, i.e. is building or
        using it)."""
        copies = []
        for meta_file in self.folder.glob("demo-*.json"):
            with contextlib.suppress(OSError, ValueError):
                if json.loads(meta_file.read_text()).get("vendor") == self.vendor:
                    copies.append((meta_file.stat().st_mtime, meta_file))
        copies.sort(reverse=True)
        old = [c for c in copies[:KEPT_COPIES] if c[0] < time.time() - KEPT_FOR]
        for _mtime, meta_file in copies[KEPT_COPIES:] + old:
            key = meta_file.stem.removeprefix("demo-")
            if key == self.key:
                continue
            with self._locked(key, wait=False) as free:
                if not free:
                    continue
                if self.vendor == "postgresql":
                    try:
                        self._pg("DROP DATABASE IF EXISTS {}", f"antt_demo_{key}")
                    except Exception:  # someone is connected to it: kept, for now
                        continue
                meta_file.unlink(missing_ok=True)
                (self.folder / f"demo-{key}.sqlite3").unlink(missing_ok=True)


# -- the files the demo stored (the test settings keep them in memory, per process) ----------


def _fingerprint() -> list[int]:
    """The number of rows of a few of the demo's tables, to see that its copy is unchanged."""
    from allowances.models import AllowanceRun
    from teams.models import Membership, Person, User

    return [m.objects.count() for m in (User, Person, Membership, AllowanceRun)]


def _stored_files() -> dict[str, str]:
    from django.apps import apps
    from django.core.files.storage import default_storage
    from django.db.models import FileField

    files = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and field.storage is default_storage:
                names = model._default_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                for name in names:
                    if default_storage.exists(name):
                        with default_storage.open(name) as file:
                            files[name] = base64.b64encode(file.read()).decode()
    return files


def _restore_files(files: dict[str, str]) -> list[str]:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    written = []
    for name, content in files.items():
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(base64.b64decode(content)))
            assert saved == name, (saved, name)
            written.append(name)
    return written


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
