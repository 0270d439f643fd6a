"""What the two allowance benchmarks (bench_allowance_run, bench_arrears) do alike: time one
computation of many communes, approve a month, and measure the physical limit of a run — the
month's result rows written again, by the run's own writer (allowances.writer: COPY on
PostgreSQL, executemany on SQLite), into the same table, in one transaction with its commit as
the run has. `measured_run` times a month and its limit alternately, REPEAT times each, under
the same conditions (`settle`), and reports medians. Imported after `harness.setup()`."""

from __future__ import annotations

import datetime
import os
import statistics
import time
from dataclasses import dataclass

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
#: how many times `measured_run` times a month and its writer (ALLOWANCE_REPEAT=1: once)
REPEAT = int(os.environ.get("ALLOWANCE_REPEAT", "3"))
#: the tables a run writes: vacuumed and analysed before each measurement
RUN_TABLES = [AllowanceLine._meta.db_table, AllowanceRun._meta.db_table, "allowances_rulesnapshot"]


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


def settle() -> None:
    """The same conditions before each measurement. PostgreSQL: the dead rows of the last
    delete vacuumed and the statistics fresh (VACUUM ANALYZE of the tables a run writes, which
    also leaves autovacuum nothing due on them), then the dirty pages written (CHECKPOINT), so
    that neither lands inside the next measurement. SQLite: the write-ahead log copied into the
    database and emptied (a checkpoint), so each measurement starts with an empty log."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in RUN_TABLES:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def forget(month: datetime.date) -> None:
    """The month's runs and their lines deleted: the next computation of the month is a first
    one again."""
    AllowanceLine.objects.filter(run__month=month).delete()
    AllowanceRun.objects.filter(month=month).delete()


@dataclass
class Measured:
    """A month computed and its rows written again by the writer, REPEAT times each."""

    outcome: BulkOutcome
    queries: int  # of the first computation
    rows: int
    run: list[float]  # seconds of each computation
    writer: list[float]  # seconds of each write of the same rows

    @property
    def seconds(self) -> float:
        return statistics.median(self.run)

    @property
    def ratio(self) -> float:
        """The median computation ÷ the median write."""
        return self.seconds / statistics.median(self.writer)


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def measured_run(
    communes, month: datetime.date, *, actor, label: str, members: int | None = None
) -> Measured:
    """`month` computed from scratch REPEAT times, each computation followed by the same rows
    through the run's writer (`writer_seconds`), every measurement after `settle()`: the run
    and its reference alternate under the same conditions, so that a checkpoint, autovacuum
    or another process landing in one measurement does not decide the ratio. Prints each
    measurement and the spread."""
    runs: list[float] = []
    writes: list[float] = []
    counted = 0
    for i in range(REPEAT):
        if i:
            forget(month)
        settle()
        outcome, seconds, queries = timed_run(
            communes, month, actor=actor, label=f"{label} [{i + 1}/{REPEAT}]", members=members
        )
        # The first computation's queries: the later ones find the month's snapshots saved.
        counted = counted or queries
        rows = result_rows(month)
        settle()
        writes.append(writer_seconds(rows, commune=communes[0]))
        runs.append(seconds)
        count = len(rows)
        del rows  # not held through the next computation (the peak memory figure)
        print(
            f"   the same {count:,} rows into the same table: {WRITER} {writes[-1]:.2f} s "
            f"(run ÷ {WRITER} {seconds / writes[-1]:.3f})"
        )
    measured = Measured(outcome, counted, count, runs, writes)
    pairs = [r / w for r, w in zip(runs, writes, strict=True)]
    print(
        f"   {label}, {REPEAT} times: run {_spread(runs)} s · {WRITER} {_spread(writes)} s · "
        f"median ÷ median {measured.ratio:.3f} (each pair {min(pairs):.3f}–{max(pairs):.3f})"
    )
    return measured
