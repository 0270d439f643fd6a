"""What the two allowance benchmarks (bench_allowance_run, bench_arrears) do alike: time one
computation of many communes, approve a month, and measure the physical limit of a run — the
month's result rows written again, by the run's own writer (allowances.writer: COPY on
PostgreSQL, executemany on SQLite), into the same table, in one transaction with its commit as
the run has. Imported after `harness.setup()`."""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from allowances.models import AllowanceLine, AllowanceRun, RunState
from allowances.services import BulkOutcome, allowance_runs_compute
from allowances.writer import LINE_COLUMNS, insert_lines

WRITER = "COPY" if connection.vendor == "postgresql" else "executemany"
#: the columns of a line but its run: the reference writes the rows again under a scratch run
COLUMNS = [c for c in LINE_COLUMNS if c != "run_id"]
#: the scratch run's month: no benchmark computes it
SCRATCH_MONTH = datetime.date(2030, 1, 1)


def timed_run(
    communes, month: datetime.date, *, actor, label: str, members: int | None = None
) -> tuple[BulkOutcome, float, int]:
    """`allowance_runs_compute` for `communes`: its outcome, seconds and queries, printed."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        outcome = allowance_runs_compute(communes=communes, month=month, actor=actor)
        seconds = time.perf_counter() - start
    rate = f" ({members / seconds:,.0f} members/s)" if members else ""
    print(
        f"   {label}: {outcome.lines:,} lines ({outcome.errors:,} error lines) in "
        f"{seconds:.2f} s, {len(queries)} queries{rate}"
    )
    return outcome, seconds, len(queries)


def approve(communes, month: datetime.date) -> None:
    """The month's runs approved, written straight to the runs: a benchmark shortcut past the
    workflow's checks."""
    AllowanceRun.objects.filter(commune__in=communes, month=month).update(
        state=RunState.APPROVED, approved_at=timezone.now()
    )


def result_rows(month: datetime.date) -> list[tuple]:
    """The month's lines as rows in COLUMNS order."""
    return list(AllowanceLine.objects.filter(run__month=month).values_list(*COLUMNS))


def writer_seconds(rows: list[tuple], *, commune) -> float:
    """Seconds to write `rows` again through the run's own writer, under a scratch run of
    `commune` that is removed afterwards."""
    scratch = AllowanceRun.objects.create(commune=commune, month=SCRATCH_MONTH)
    start = time.perf_counter()
    with transaction.atomic():  # one transaction with its commit, as the run's
        insert_lines((scratch.pk, *row) for row in rows)
    seconds = time.perf_counter() - start
    AllowanceLine.objects.filter(run=scratch).delete()
    scratch.delete()
    return seconds
