"""The backup procedure of docs/deploy.md, run for real: scripts/backup_restore_check.sh
(pg_dump -Fc → pg_restore into a second database → row counts of every table compared).

Runs when a PostgreSQL server answers (DATABASE_URL or 127.0.0.1:5432, like `make test`) and
the client tools are installed; skipped otherwise. It uses the lighter data set (units and
parameters); `make backup-check` runs the same script with the whole demo.
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


SERVER = _server()
pytestmark = pytest.mark.skipif(
    SERVER is None,
    reason="PostgreSQL (DATABASE_URL or 127.0.0.1:5432) or its client tools are not available",
)


def run(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= SERVER | {"BACKUP_CHECK_DATA": "units", "PYTHON": sys.executable} | extra
    return subprocess.run(
        ["bash", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_backup_restores_every_row():
    result = run(BACKUP_CHECK_PREFIX=f"antt_hard_backup_t{os.getpid()}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bản khôi phục khớp bản gốc" in result.stdout
    assert "teams_administrativeunit" in result.stdout


def test_a_restore_that_lost_rows_is_caught():
    result = run(
        BACKUP_CHECK_PREFIX=f"antt_hard_backup_x{os.getpid()}",
        BACKUP_CHECK_TAMPER="1",
        BACKUP_CHECK_DATA="parameters",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "KHÔNG KHỚP" in result.stdout and "-rules_parameter" in result.stdout
