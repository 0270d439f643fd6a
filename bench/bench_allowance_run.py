"""A national monthly allowance run: 276,000 members in 86,000 teams over the 3,321 communes
of the 2025 tree, every one in a jurisdiction whose rules compute (bench/synthetic.py: the
shipped values plus BENCHMARK-ONLY values where none is shipped, marked as such), with duty
entries, partial months, concurrent posts and village types. Then the steady state: the same
country with HISTORY approved months behind it (issue 17 §1–2).

Figures: seconds of the first month and of the steady state, error lines (target 0), and each
run ÷ the physical limit measured in the same process: the same result rows written by the
run's own writer into the same table (COPY on PostgreSQL, executemany on SQLite; target
<= 1.5). Each month is computed from scratch ALLOWANCE_REPEAT times (3), alternating with its
writer, each measurement after a VACUUM ANALYZE and CHECKPOINT (a WAL checkpoint on SQLite):
the seconds and the ratio are medians (median run ÷ median writer), and the spread is printed.
One measurement of each varied by a quarter between runs of the benchmark, which decided the
ratio. bulk_create of the same rows is printed for reference only (measured once): it is 3–4×
slower than COPY, so a ratio to it flatters the run.
"""

import datetime
import io
import os
import random
import time

from bench import harness

harness.setup()

from django.core.management import call_command  # noqa: E402

from allowances.models import AllowanceLine, AllowanceRun  # noqa: E402
from bench import allowance_runs, synthetic  # noqa: E402
from teams.models import AdministrativeUnit, Level, Tree, User  # noqa: E402

# ALLOWANCE_SCALE=0.05 for a quick profile at a twentieth of the country.
SCALE = float(os.environ.get("ALLOWANCE_SCALE", "1"))
TEAMS, MEMBERS = int(86_000 * SCALE), int(276_000 * SCALE)
HISTORY = int(os.environ.get("ALLOWANCE_HISTORY", "8"))
START = datetime.date(2025, 7, 1)
MONTHS = [datetime.date(2025 + (7 + i) // 12, (7 + i) % 12 + 1, 1) for i in range(HISTORY + 1)]
rng = random.Random(7)

call_command("import_units", stdout=io.StringIO())
call_command("load_parameters", stdout=io.StringIO())
communes = list(
    AdministrativeUnit.objects.filter(tree=Tree.CURRENT, level=Level.COMMUNE).order_by("path")
)
admin = User.objects.create_superuser("bench", password="x")
started = time.perf_counter()
synthetic.spread_jurisdictions(communes)
entered = synthetic.benchmark_parameters(list(synthetic.COMPUTING), MONTHS)
synthetic.roster(
    communes,
    teams=TEAMS,
    members=MEMBERS,
    start=START,
    partial_start=MONTHS[0].replace(day=16),
    duty_months=MONTHS,
    duty_share=0.1,
    actor=admin,
    rng=rng,
)
harness.analyze()
print(
    f"   synthetic data: {len(communes):,} communes over {len(synthetic.COMPUTING)} "
    f"jurisdictions, {TEAMS:,} teams, {MEMBERS:,} members in "
    f"{time.perf_counter() - started:.1f} s; {len(entered)} BENCHMARK-ONLY parameter values"
)


def run(month, label):
    return allowance_runs.timed_run(communes, month, actor=admin, label=label, members=MEMBERS)


def measured(month, label):
    return allowance_runs.measured_run(communes, month, actor=admin, label=label, members=MEMBERS)


def bulk_create_seconds(rows: list[tuple]) -> float:
    """The same rows through bulk_create (reference only), under a scratch run."""
    scratch = AllowanceRun.objects.create(commune=communes[0], month=allowance_runs.SCRATCH_MONTH)
    copies = [
        AllowanceLine(run=scratch, **dict(zip(allowance_runs.COLUMNS, row, strict=True)))
        for row in rows
    ]
    start = time.perf_counter()
    AllowanceLine.objects.bulk_create(copies, batch_size=5000)
    seconds = time.perf_counter() - start
    AllowanceLine.objects.filter(run=scratch).delete()
    scratch.delete()
    return seconds


def approve(month):
    allowance_runs.approve(communes, month)


WRITER = allowance_runs.WRITER
MEDIAN = f"median of {allowance_runs.REPEAT}"
first = measured(MONTHS[0], f"national run, first month ({MONTHS[0]:%m/%Y})")
rows = allowance_runs.result_rows(MONTHS[0])
bulk = bulk_create_seconds(rows)
print(f"   the same {len(rows):,} rows through bulk_create: {bulk:.2f} s (reference only)")
del rows
harness.figure(f"national run, first month ({MEDIAN})", first.seconds, "s", "<= 30")
harness.figure("national run, first month, error lines", first.outcome.errors, "lines", "== 0")
harness.figure(
    f"national first month ÷ {WRITER} of the same rows ({MEDIAN})", first.ratio, "×", "<= 1.5"
)
harness.figure("national first month ÷ bulk_create (reference)", first.seconds / bulk, "×")
harness.figure("national first month queries", first.queries, "queries")

if HISTORY:
    approve(MONTHS[0])
    for month in MONTHS[1:-1]:
        run(month, f"building history, {month:%m/%Y}")
        approve(month)
    steady = measured(MONTHS[-1], f"national steady state ({HISTORY} approved months behind)")
    harness.figure(
        f"national steady state ({HISTORY} approved months, {MEDIAN})", steady.seconds, "s", "<= 30"
    )
    harness.figure("national steady state, error lines", steady.outcome.errors, "lines", "== 0")
    harness.figure(
        f"national steady state ÷ {WRITER} of the same rows ({MEDIAN})",
        steady.ratio,
        "×",
        "<= 1.5",
    )
    harness.figure("national steady state queries", steady.queries, "queries")
    print(
        f"   side by side: first month {first.seconds:.1f} s ({first.queries} queries) · steady "
        f"state {steady.seconds:.1f} s ({steady.queries} queries)"
    )
