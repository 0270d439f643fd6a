"""A real `manage.py db_worker` killed with SIGKILL in the middle of a document: the job stays
"running" with no progress, is marked failed with the reason once the set time has passed, and
started again by the user it is made by the next worker.

The worker is a separate process, so it needs a database it can open: on SQLite the test
database is copied to a file (sqlite3's backup), on PostgreSQL it uses the test database
itself (the test commits, `transaction=True`).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.backend import DatabaseBackend

from config.settings.base import TASKS as SITE_TASKS
from reporting.jobs import render_document
from reporting.models import DocumentJob
from reporting.periods import Period
from teams.models import Membership, Person
from tests.builders import membership_data, person_data

ROOT = Path(__file__).resolve().parents[2]
AUG = Period.monthly(2024, 8)
pytestmark = pytest.mark.django_db(transaction=True)

# The worker's "no progress" limit, and how long the test waits after the kill: just past it.
STALE_SECONDS = 1


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(tmp_path / "worker.sqlite3")
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, url: str):
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
        } | {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DOCUMENT_JOB_STALE_SECONDS": str(STALE_SECONDS),
            # Parts laid out in the worker itself, as in the test settings (the render
            # processes have tests of their own): no start-up of two more processes per
            # worker, and none left rendering the padding after the first worker is killed.
            "DOCUMENT_PROCESSES": "1",
        }
        self.url = url

    def manage(self, *args: str, **kw) -> subprocess.Popen:
        options = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True} | kw
        return subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, **options
        )

    def python_when_told(self, code: str) -> subprocess.Popen:
        """`code` in a Django shell that starts now and runs it once a line comes on its
        stdin (`told`): Django's set-up overlaps with what the test does meanwhile."""
        return self.manage(
            "shell",
            "--no-imports",
            "-c",
            f"import sys; sys.stdin.readline(); {code}",
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    @staticmethod
    def told(process: subprocess.Popen) -> str:
        out, err = process.communicate("\n", timeout=120)
        assert process.returncode == 0, out + err
        return out.strip()

    def execute(self, sql: str) -> None:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                db.execute(sql)
            return
        with connection.cursor() as cursor:
            cursor.execute(sql)

    def job(self, pk: int) -> tuple[str, int, int]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                row = db.execute(
                    "SELECT status, done, total FROM reporting_documentjob WHERE id = ?", (pk,)
                ).fetchone()
            return row
        job = DocumentJob.objects.get(pk=pk)
        return job.status, job.done, job.total


def _wait(worker: Worker, pk: int, until, seconds: float) -> tuple[str, int, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = worker.job(pk)
        if until(state):
            return state
        time.sleep(0.1)
    pytest.fail(f"job {pk} still {worker.job(pk)} after {seconds} s")


def test_a_killed_worker_leaves_a_job_that_is_failed_and_started_again(roster, tmp_path):
    # Enough members in Tiên Kiên that the annex's first chunk takes seconds to render.
    team = roster.teams["tk1"]
    people = Person.objects.bulk_create(
        Person(
            **asdict(person_data(full_name=f"Thành viên {i:04d}")),
            search_name=f"thanh vien {i:04d}",
        )
        for i in range(700)
    )
    Membership.objects.bulk_create(
        Membership(person=p, team=team, **asdict(membership_data())) for p in people
    )
    job = DocumentJob.objects.create(
        requested_by=roster.users["congan_huyen"],
        unit=roster.units["lam_thao"],
        kind=AUG.kind,
        period=AUG.key,
        document="annex",
    )
    # Queued as the site's own backend queues it (config.settings: the database backend; the
    # test settings run tasks at once), in the test's database before the worker's copy of it
    # is made: no Django process of its own just to write one row.
    DatabaseBackend("default", SITE_TASKS["default"]).enqueue(render_document, [job.pk], {})
    worker = Worker(_database_url(tmp_path))

    process = worker.manage("db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay")
    try:
        state = _wait(worker, job.pk, lambda s: s[0] == "running", 90)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert state[0] == "running" and state[1] == 0  # killed before its first chunk was done
    stale_after = time.monotonic() + STALE_SECONDS + 0.25  # longer than DOCUMENT_JOB_STALE_SECONDS

    # Anyone looking at the job (its page calls refresh) marks it failed, with the reason; the
    # user starts it again (one process for both); the next worker makes it. Both processes
    # start now and set Django up (about a second each) while the stale time passes; the first
    # waits to be told, the worker finds nothing queued until the restart.
    looker = worker.python_when_told(
        "from core.jobs import refresh; from reporting.jobs import restart; "
        "from reporting.models import DocumentJob; "
        f"j = refresh(DocumentJob.objects.get(pk={job.pk})); print(j.status); print(j.error); "
        f"print(restart(DocumentJob.objects.get(pk={job.pk})).pk)"
    )
    next_worker = worker.manage(
        "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"
    )
    try:
        _made_again(worker, job, looker, next_worker, stale_after)
    finally:
        for started in (looker, next_worker):
            if started.poll() is None:
                started.kill()
                started.wait(timeout=10)


def _made_again(worker: Worker, job, looker, next_worker, stale_after: float) -> None:
    time.sleep(max(0.0, stale_after - time.monotonic()))
    assert worker.job(job.pk)[0] == "running"  # nobody is left to say otherwise

    # The padding members go before the restart, since the new job only has to be made, not
    # to be slow (in SQL, from here: they were written in bulk, with no history to keep).
    worker.execute(
        "DELETE FROM teams_membership WHERE person_id IN "
        "(SELECT id FROM teams_person WHERE full_name LIKE 'Thành viên %')"
    )
    status, *error, new_pk_text = worker.told(looker).split("\n")
    assert status == "failed"
    assert "không có tiến triển" in "\n".join(error)

    # Started again, the next worker makes it.
    new_pk = int(new_pk_text)
    assert new_pk != job.pk
    _wait(worker, new_pk, lambda s: s[0] in ("done", "failed"), 300)
    status, done, total = worker.job(new_pk)
    # The worker's output only when it says why the job failed: a worker that is done is
    # killed by the caller, not stopped with SIGTERM and waited for (its interpreter's exit,
    # with WeasyPrint loaded, was ~0.5 s of the test).
    assert status == "done", _output_when_stopped(next_worker)
    assert done == total == 2  # Tiên Kiên and Xuân Lũng


def _output_when_stopped(process: subprocess.Popen) -> str:
    process.terminate()  # db_worker stops on SIGTERM once its task is over
    output, _ = process.communicate(timeout=60)
    return output
