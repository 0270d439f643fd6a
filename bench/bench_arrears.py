"""A province of 15,036 members with approved history: the first month, then the steady state
(8 approved months behind, nothing changed), then a steady state in which one approved month
changed (late duty entries) — the arrears path (issue 17 §2–3).

Synthetic data, all in communes whose rules compute (jurisdiction 25, Phú Thọ NQ 03/2024, the
shipped parameters plus one benchmark-only night duty rate, marked as such): the three roles, concurrent
posts, partial months (a tenth of the members start on the 16th of the first month), duty
entries (day and night, within the caps) and village types on the areas. Approval is written
straight to the runs (state and time) — a benchmark shortcut past the workflow's checks.

Figures: seconds and queries of each run, error lines (target 0), and run ÷ the run's own
writer for the same rows (COPY on PostgreSQL, executemany on SQLite; target ≤ 1.5).
"""

import datetime
import io
import random
import time

from bench import harness

harness.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from allowances.models import AllowanceLine, AllowanceRun, DutyEntry, RunState  # noqa: E402
from allowances.services import allowance_runs_compute  # noqa: E402
from allowances.writer import LINE_COLUMNS, insert_lines  # noqa: E402
from core.periods import Month  # noqa: E402
from rules.cccd import make_number  # noqa: E402
from rules.models import Parameter  # noqa: E402
from rules.parameters import Source  # noqa: E402
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
# BENCHMARK-ONLY PARAMETER, not a real figure: Phú Thọ's night duty rate for 2025 is not in
# the shipped parameters, so the duty entries would end as error lines without it.
Parameter.objects.create(
    key="duty.night.rate", jurisdiction=JURISDICTION, value="100000", unit="vnd",
    effective_from=FIRST, source=Source.DEFAULT.value,
    citation="CHỈ DÙNG CHO BENCHMARK — không phải mức thật",
    note="bench/bench_arrears.py: benchmark-only value",
)  # fmt: skip
admin = User.objects.create_superuser("bench", password="x")
teams_needed = -(-MEMBERS // PER_TEAM)
started = time.perf_counter()
areas = ResidentialArea.objects.bulk_create(
    (
        ResidentialArea(commune=communes[i % len(communes)], name=f"Khu {i}", kind=AreaKind.KHU,
                        households=rng.randint(100, 1200), village_type=rng.choice([1, 2, 3, None]))
        for i in range(teams_needed)
    ),
    batch_size=5000,
)  # fmt: skip
teams = Team.objects.bulk_create(
    (
        Team(commune_id=a.commune_id, name=f"Tổ bảo vệ ANTT {a.name}",
             decision_number="1/QĐ-UBND", decision_date=FIRST)
        for a in areas
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
people = Person.objects.bulk_create(
    (
        Person(full_name=f"Thành viên {i}", search_name=f"thanh vien {i}",
               birth_date=datetime.date(1980, 5, 5), sex="nam",
               cccd=make_number(province_code="025", sex="nam", birth_year=1980, serial=i),
               education="thpt", residence_type="thuong_tru", residence_address="Khu 1",
               residence_since=datetime.date(2000, 1, 1))
        for i in range(MEMBERS)
    ),
    batch_size=5000,
)  # fmt: skip
roles = ["to_truong", "to_pho"] + ["to_vien"] * (PER_TEAM - 2)
posts = [[], [], [], ["khong_chuyen_trach_kdc"], ["doi_pho_dan_phong"]]
memberships = Membership.objects.bulk_create(
    (
        Membership(person=p, team=teams[i // PER_TEAM], role=roles[i % PER_TEAM],
                   start_date=FIRST if i % 10 else FIRST.replace(day=16),
                   concurrent_posts=rng.choice(posts) if i % PER_TEAM < 2 else [])
        for i, p in enumerate(people)
    ),
    batch_size=5000,
)  # fmt: skip
duty = []
for month in MONTHS:
    for m in rng.sample(memberships, len(memberships) // 5):
        duty.append(DutyEntry(membership=m, day=month.replace(day=20), kind="night", units=1,
                              created_by=admin))  # fmt: skip
DutyEntry.objects.bulk_create(duty, batch_size=5000)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
print(
    f"   synthetic province: {len(communes)} communes of jurisdiction {JURISDICTION}, "
    f"{len(teams):,} teams, {MEMBERS:,} members, {len(duty):,} duty entries "
    f"in {time.perf_counter() - started:.1f} s"
)


def run(month, label):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        outcome = allowance_runs_compute(communes=communes, month=month, actor=admin)
        seconds = time.perf_counter() - start
    print(
        f"   {label}: {outcome.lines:,} lines ({outcome.errors:,} error lines) in "
        f"{seconds:.2f} s, {len(queries)} queries"
    )
    return outcome, seconds, len(queries)


def approve(month):
    AllowanceRun.objects.filter(commune__in=communes, month=month).update(
        state=RunState.APPROVED, approved_at=timezone.now()
    )


outcome, first, first_queries = run(MONTHS[0], "first month (no history)")
harness.figure("province 15,036 members, first month", first, "s", "<= 2")
harness.figure("province first month, error lines", outcome.errors, "lines", "== 0")
approve(MONTHS[0])
for month in MONTHS[1:8]:
    run(month, f"building history, {Month.of(month).label}")
    approve(month)

steady, steady_s, steady_q = run(MONTHS[8], "steady state, 8 approved months, nothing changed")
harness.figure("province steady state (8 approved months)", steady_s, "s", "<= 2")
harness.figure("province steady state queries", steady_q, "queries")
harness.figure("province steady state, error lines", steady.errors, "lines", "== 0")

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

# The physical limit: the same result rows through the run's own writer into the same table.
columns = [c for c in LINE_COLUMNS if c != "run_id"]
rows = list(AllowanceLine.objects.filter(run__month=MONTHS[8]).values_list(*columns))
scratch = AllowanceRun.objects.create(commune=communes[0], month=MONTHS[9])
start = time.perf_counter()
insert_lines((scratch.pk, *row) for row in rows)
own = time.perf_counter() - start
writer = "COPY" if connection.vendor == "postgresql" else "executemany"
print(f"   the same {len(rows):,} rows through the writer ({writer}): {own:.2f} s")
harness.figure(f"province steady run ÷ {writer} of the same rows", steady_s / own, "×", "<= 1.5")
harness.figure(f"province first month ÷ {writer} of the same rows", first / own, "×", "<= 1.5")
