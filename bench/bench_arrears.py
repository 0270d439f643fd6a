"""A province of 15,036 members with approved history: the first month, then the steady state
(8 approved months behind, nothing changed), then a steady state in which one approved month
changed (late duty entries) — the arrears path (issue 17 §2–3).

Synthetic data (bench/synthetic.py), all in communes whose rules compute (jurisdiction 25, Phú
Thọ NQ 03/2024: the shipped parameters plus BENCHMARK-ONLY values where none is shipped — the
duty rates and concurrent posts' rates — marked as such): the three roles, concurrent posts,
partial months (a tenth of the members start on the 16th of the first month), duty entries
(day, night and holiday, some above a cap) and village types on the areas. Approval is written
straight to the runs (state and time) — a benchmark shortcut past the workflow's checks.

Figures: seconds and queries of each run, error lines (target 0), and run ÷ the run's own
writer for the same rows (COPY on PostgreSQL, executemany on SQLite; target ≤ 1.5). The first
month and the steady state are each computed from scratch ALLOWANCE_REPEAT times (3),
alternating with the writer under the same conditions (bench/allowance_runs.measured_run):
their seconds and ratios are medians.
"""

import datetime
import io
import random
import time

from bench import harness

harness.setup()

from django.core.management import call_command  # noqa: E402

from allowances.models import AllowanceLine, DutyEntry  # noqa: E402
from bench import allowance_runs, synthetic  # noqa: E402
from core.periods import Month  # noqa: E402
from teams.models import (  # noqa: E402
    AdministrativeUnit,
    Level,
    Tree,
    User,
)

MEMBERS, PER_TEAM = 15_036, 12
JURISDICTION = "25"
FIRST = datetime.date(2025, 7, 1)
MONTHS = [datetime.date(2025 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(10)]
rng = random.Random(17)

call_command("import_units", stdout=io.StringIO())
call_command("load_parameters", stdout=io.StringIO())
communes = list(
    AdministrativeUnit.objects.filter(
        tree=Tree.CURRENT, level=Level.COMMUNE, jurisdiction=JURISDICTION
    ).order_by("path")
)
admin = User.objects.create_superuser("bench", password="x")
started = time.perf_counter()
entered = synthetic.benchmark_parameters([JURISDICTION], MONTHS)
memberships = synthetic.roster(
    communes,
    teams=-(-MEMBERS // PER_TEAM),
    members=MEMBERS,
    start=FIRST,
    partial_start=FIRST.replace(day=16),
    duty_months=MONTHS,
    actor=admin,
    rng=rng,
)
teams = {m.team_id for m in memberships}
harness.analyze()
print(
    f"   synthetic province: {len(communes)} communes of jurisdiction {JURISDICTION}, "
    f"{len(teams):,} teams, {MEMBERS:,} members in {time.perf_counter() - started:.1f} s; "
    f"{len(entered)} BENCHMARK-ONLY parameter values"
)


def run(month, label):
    return allowance_runs.timed_run(communes, month, actor=admin, label=label)


def approve(month):
    allowance_runs.approve(communes, month)


MEDIAN = f"median of {allowance_runs.REPEAT}"
first = allowance_runs.measured_run(
    communes, MONTHS[0], actor=admin, label="first month (no history)"
)
harness.figure(f"province 15,036 members, first month ({MEDIAN})", first.seconds, "s", "<= 2")
harness.figure("province first month, error lines", first.outcome.errors, "lines", "== 0")
approve(MONTHS[0])
for month in MONTHS[1:8]:
    run(month, f"building history, {Month.of(month).label}")
    approve(month)

steady = allowance_runs.measured_run(
    communes, MONTHS[8], actor=admin, label="steady state, 8 approved months, nothing changed"
)
harness.figure(f"province steady state (8 approved months, {MEDIAN})", steady.seconds, "s", "<= 2")
harness.figure("province steady state queries", steady.queries, "queries")
harness.figure("province steady state, error lines", steady.outcome.errors, "lines", "== 0")

# One approved month changes: late night duty for 1 % of the members in the third month.
late = rng.sample(memberships, len(memberships) // 100)
DutyEntry.objects.bulk_create(
    DutyEntry(membership=m, day=MONTHS[2].replace(day=25), kind="night", units=1,
              created_by=admin)
    for m in late
)  # fmt: skip
changed, changed_s, changed_q = run(MONTHS[8], "steady state, one approved month changed")
harness.figure("province arrears run (8 approved months, one changed)", changed_s, "s", "<= 2")
harness.figure("province arrears run queries", changed_q, "queries")
arrears = AllowanceLine.objects.filter(run__month=MONTHS[8], kind="arrears").count()
print(f"   arrears lines: {arrears:,} (expected about {len(late):,})")

# The physical limit: each month's own result rows through the run's own writer into the
# same table, measured beside it (medians).
writer = allowance_runs.WRITER
harness.figure(
    f"province steady run ÷ {writer} of the same rows ({MEDIAN})", steady.ratio, "×", "<= 1.5"
)
harness.figure(
    f"province first month ÷ {writer} of the same rows ({MEDIAN})", first.ratio, "×", "<= 1.5"
)
print(
    f"   side by side: first month {first.seconds:.2f} s · steady state {steady.seconds:.2f} s "
    f"({steady.queries} queries) · one approved month changed {changed_s:.2f} s ({changed_q} "
    f"queries)"
)
