"""A national monthly allowance run (issue: 276,000 members in 86,000 teams over the 3,321
communes of the 2025 tree), and one province-sized run of 15,000 members.

Baseline, measured in the same process: bulk-inserting the same number of result rows. The run
is set-based (three reads, the rule engine once per distinct case, one bulk insert), so its
time should stay within about twice the bare insert. Communes whose old province has no rule
module yet get error lines (the rule error is computed once per case too); they are counted.
"""

import datetime
import io
import random
import time

from bench import harness

harness.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from allowances.models import AllowanceLine, AllowanceRun  # noqa: E402
from allowances.services import allowance_runs_compute  # noqa: E402
from allowances.writer import LINE_COLUMNS, insert_lines  # noqa: E402
from rules.cccd import make_number  # noqa: E402
from teams.models import (  # noqa: E402
    AdministrativeUnit,
    AreaKind,
    Level,
    Membership,
    Person,
    ResidentialArea,
    Team,
    Tree,
    User,
)

TEAMS, MEMBERS = 86_000, 276_000


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after bulk loads, as autovacuum would in
    production (without it the first queries after a load plan on empty-table guesses)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


MONTH = datetime.date(2025, 8, 1)
START = datetime.date(2025, 7, 1)
rng = random.Random(7)

call_command("import_units", stdout=io.StringIO())
call_command("load_parameters", stdout=io.StringIO())
communes = list(
    AdministrativeUnit.objects.filter(tree=Tree.CURRENT, level=Level.COMMUNE).order_by("path")
)
admin = User.objects.create_superuser("bench", password="x")

started = time.perf_counter()
areas = ResidentialArea.objects.bulk_create(
    (
        ResidentialArea(commune=communes[i % len(communes)], name=f"Khu {i}", kind=AreaKind.KHU,
                        households=rng.randint(100, 1200))
        for i in range(TEAMS)
    ),
    batch_size=5000,
)  # fmt: skip
teams = Team.objects.bulk_create(
    (
        Team(commune_id=area.commune_id, name=f"Tổ bảo vệ ANTT {area.name}",
             decision_number="1/QĐ-UBND", decision_date=START)
        for area in areas
    ),
    batch_size=5000,
)  # fmt: skip
Team.areas.through.objects.bulk_create(
    (
        Team.areas.through(team_id=t.pk, residentialarea_id=a.pk)
        for t, a in zip(teams, areas, strict=True)
    ),
    batch_size=5000,
)
birth = datetime.date(1980, 5, 5)
people = Person.objects.bulk_create(
    (
        Person(full_name=f"Thành viên {i}", search_name=f"thanh vien {i}", birth_date=birth,
               sex="nam", cccd=make_number(province_code="025", sex="nam", birth_year=1980, serial=i), education="thpt",
               residence_type="thuong_tru", residence_address="Khu 1",
               residence_since=datetime.date(2000, 1, 1))
        for i in range(MEMBERS)
    ),
    batch_size=5000,
)  # fmt: skip
roles = ["to_truong", "to_pho"] + ["to_vien"] * 10
Membership.objects.bulk_create(
    (
        Membership(person=person, team=teams[i % TEAMS], role=roles[i // TEAMS],
                   start_date=START)
        for i, person in enumerate(people)
    ),
    batch_size=5000,
)  # fmt: skip
print(
    f"   synthetic data: {len(communes):,} communes, {TEAMS:,} teams, {MEMBERS:,} members "
    f"in {time.perf_counter() - started:.1f} s"
)

start = time.perf_counter()
outcome = allowance_runs_compute(communes=communes, month=MONTH, actor=admin)
run_seconds = time.perf_counter() - start
harness.figure("national run", run_seconds, "s", "<= 30")
harness.figure("national run throughput", MEMBERS / run_seconds, "members/s")
print(
    f"   national run: {MEMBERS:,} members, {outcome.lines:,} lines ({outcome.errors:,} "
    f"awaiting a rule module or parameter) in {run_seconds:.2f} s "
    f"({MEMBERS / run_seconds:,.0f} members/s)"
)

# Baselines: the same rows inserted on their own, by Django's bulk_create (the yardstick the
# issue names) and by the run's own writer (COPY on PostgreSQL, bulk_create on SQLite).
columns = [c for c in LINE_COLUMNS if c != "run_id"]
rows = list(AllowanceLine.objects.values_list(*columns)[: outcome.lines])
baseline_run = AllowanceRun.objects.create(commune=communes[0], month=datetime.date(2025, 7, 1))
copies = [AllowanceLine(run=baseline_run, **dict(zip(columns, row, strict=True))) for row in rows]
start = time.perf_counter()
AllowanceLine.objects.bulk_create(copies, batch_size=5000)
bulk = time.perf_counter() - start
AllowanceLine.objects.filter(run=baseline_run).delete()
start = time.perf_counter()
insert_lines((baseline_run.pk, *row) for row in rows)
own = time.perf_counter() - start
AllowanceLine.objects.filter(run=baseline_run).delete()
print(
    f"   baseline, bulk_create of {len(rows):,} result rows: {bulk:.2f} s; with the run's "
    f"own writer: {own:.2f} s"
)
harness.figure("ratio run / bulk_create of the same rows", run_seconds / bulk, "×", "<= 2")
print(
    f"   ratio run / bulk_create baseline: {run_seconds / bulk:.2f} (target ≤ 2); run / own "
    f"writer: {run_seconds / own:.2f}; run target ≤ 30 s on PostgreSQL"
)

# A province-sized run: the first communes (in path order) adding up to 15,000 members.
per_commune = dict(
    Membership.objects.values_list("team__commune_id").annotate(n=Count("pk")).order_by()
)
chosen, total = [], 0
for commune in communes:
    if total >= 15_000:
        break
    chosen.append(commune)
    total += per_commune.get(commune.pk, 0)
analyze()
for attempt in ("first", "second"):
    start = time.perf_counter()
    allowance_runs_compute(communes=chosen, month=MONTH, actor=admin)
    harness.figure(
        f"province-sized recompute, 15,000 members ({attempt} call)",
        time.perf_counter() - start,
        "s",
        "<= 2",
    )
    print(
        f"   province-sized recompute ({attempt} call): {total:,} members in {len(chosen)} "
        f"communes in {time.perf_counter() - start:.2f} s (target ≤ 2 s)"
    )
