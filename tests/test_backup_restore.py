"""The backup procedure of docs/deploy.md, run for real: scripts/backup_restore_check.sh
(pg_dump -Fc → pg_restore into a second database → row counts of every table compared).

Runs when a PostgreSQL server answers (DATABASE_URL or 127.0.0.1:5432, like `make test`) and
the client tools are installed, in the PostgreSQL run of the suite (`make test` runs it; the
SQLite run skips it, as it would only do the same work a second time). Its point is that every
table restores, not the row count: it uses a small data set (the rule parameters and the test
personas' units, users, teams and members); `make backup-check` runs the same script with the
whole demo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "backup_restore_check.sh"


def _server() -> dict | None:
    missing = [t for t in ("createdb", "pg_dump", "pg_restore", "psql") if not shutil.which(t)]
    if missing:
        return None
    found = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "postgres_url.py")],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        | (
            {"DATABASE_URL": os.environ["DATABASE_URL"]}
            if os.environ.get("DATABASE_URL", "").startswith("postgres")
            else {}
        ),
    )
    if found.returncode != 0:
        return None
    parts = urlsplit(found.stdout.strip())
    env = {
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
    }
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SERVER = _server() if ON_POSTGRES else None
pytestmark = pytest.mark.skipif(
    SERVER is None,
    reason="runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://…), with the "
    "PostgreSQL client tools",
)


def run(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= SERVER | {"BACKUP_CHECK_DATA": "small", "PYTHON": sys.executable} | extra
    template = _migrated_template()
    if template:
        env["BACKUP_CHECK_TEMPLATE"] = template
    return subprocess.run(
        ["bash", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _migrated_template() -> str | None:
    """The suite's migrated template database (tests/db_cache.py), when it is on the same
    server: the script copies it instead of migrating a new database."""
    from django.db import connection

    from tests.db_cache import MigratedCopy

    if connection.vendor != "postgresql":
        return None
    copy = MigratedCopy()
    if not copy.supported():
        return None
    settings = connection.settings_dict
    if (settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)) != (
        SERVER["PGHOST"],
        SERVER["PGPORT"],
    ):
        return None
    return copy.template_name if copy._exists() else None


@pytest.mark.django_db
def test_backup_restores_every_row():
    result = run(BACKUP_CHECK_PREFIX=f"antt_hard_backup_t{os.getpid()}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bản khôi phục khớp bản gốc" in result.stdout
    # the tables with the personas' rows are counted, and they are not empty
    counted = dict(line.split()[-2:] for line in result.stdout.splitlines() if "nguồn:" in line)
    for table in ("teams_administrativeunit", "teams_membership", "rules_parameter"):
        assert int(counted[table]) > 0, (table, result.stdout)


@pytest.mark.django_db
def test_a_restore_that_lost_rows_is_caught():
    result = run(
        BACKUP_CHECK_PREFIX=f"antt_hard_backup_x{os.getpid()}",
        BACKUP_CHECK_TAMPER="1",
        BACKUP_CHECK_DATA="parameters",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "KHÔNG KHỚP" in result.stdout and "-rules_parameter" in result.stdout
