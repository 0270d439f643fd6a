"""The 2025 carry-over: a 15,000-member province (new Phú Thọ, 25) and then the whole country
(the synthetic 276,000 members in 86,000 teams, spread over the 10,051 old communes), each by
`manage.py carry_over` for the province and `carryover.services.province_carry_over` for each
province of the country, on the default plan (issue 13: the province in <= 10 s on PostgreSQL). New communes formed from part of an old commune need an officer's decision and
are skipped by the default plan; their members are counted as left for the officers."""

import datetime
import io
import json
import os
import random
import time

from bench import harness

harness.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import synthetic  # noqa: E402
from carryover.services import province_carry_over  # noqa: E402
from teams.models import (  # noqa: E402
    AdministrativeUnit,
    Level,
    Membership,
    Tree,
)

TEAMS, MEMBERS = 86_000, 276_000
PROVINCE_MEMBERS = int(os.environ.get("CARRY_OVER_PROVINCE_MEMBERS", "15000"))
NATIONAL = os.environ.get("CARRY_OVER_NATIONAL", "1") == "1"
START = datetime.date(2024, 7, 1)
rng = random.Random(13)
serial = iter(range(1, 10_000_000))

call_command("import_units", stdout=io.StringIO())


def seed(communes, members: int, prefix: str) -> None:
    teams_n = max(1, members * TEAMS // MEMBERS)
    teams, people = synthetic.teams_with_people(
        communes,
        teams=teams_n,
        members=members,
        start=START,
        rng=rng,
        serials=serial,
        prefix=prefix,
        village_types=False,
    )
    roles = ["to_truong", "to_pho"] + ["to_vien"] * 10
    Membership.objects.bulk_create(
        (
            Membership(
                person=p,
                team=teams[i % teams_n],
                role=roles[min(i // teams_n, 11)],
                start_date=START,
            )
            for i, p in enumerate(people)
        ),
        batch_size=5000,
    )


new_pt = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.PROVINCE, code="25")
old_pt = list(
    AdministrativeUnit.objects.filter(
        tree=Tree.LEGACY,
        level=Level.COMMUNE,
        succession_as_predecessor__successor__path__startswith=new_pt.path,
    )
    .distinct()
    .order_by("path")
)
seed(old_pt, PROVINCE_MEMBERS, "p")
harness.analyze()
out = io.StringIO()
with CaptureQueriesContext(connection) as queries:
    started = time.perf_counter()
    call_command("carry_over", "--province", "25", stdout=out)
    seconds = time.perf_counter() - started
summary = json.loads(out.getvalue())
harness.figure(
    f"province carry-over, manage.py carry_over --province 25 ({PROVINCE_MEMBERS:,} members)",
    seconds,
    "s",
    "<= 10",
)
harness.figure("province carry-over queries", len(queries), "queries")
print(
    f"   new Phú Thọ: {summary['communes']:,} communes, {summary['memberships']:,} memberships, "
    f"{summary['areas']:,} areas moved in {seconds:.2f} s; {len(summary['needs_decision'])} "
    f"communes need a decision (split predecessors)"
)

if not NATIONAL:
    raise SystemExit(0)
others = list(
    AdministrativeUnit.objects.filter(tree=Tree.LEGACY, level=Level.COMMUNE)
    .exclude(pk__in=[c.pk for c in old_pt])
    .order_by("path")
)
seed(others, MEMBERS - PROVINCE_MEMBERS, "n")
harness.analyze()
provinces = list(
    AdministrativeUnit.objects.filter(tree=Tree.CURRENT, level=Level.PROVINCE).order_by("code")
)
started = time.perf_counter()
moved = communes = 0
for province in provinces:
    s = province_carry_over(province=province, actor=None)
    moved += s["memberships"]
    communes += s["communes"]
seconds = time.perf_counter() - started
harness.figure("national carry-over", seconds, "s")
harness.figure("national carry-over throughput", moved / seconds if seconds else 0, "memberships/s")
left = Membership.objects.filter(end_date__isnull=True, team__commune__tree=Tree.LEGACY).count()
print(
    f"   national: {communes:,} communes, {moved:,} memberships moved in {seconds:.1f} s; "
    f"{left:,} still in old communes awaiting an officer (split predecessors)"
)
