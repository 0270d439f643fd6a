"""Mediation indicators for a province of 20,000 cases (issue 15): ~100 communes, 1,000
mediation teams with 3–5 mediators each, yearly reviews, leader elections and 20,000 cases
over the year (some open, some out of scope). The indicators are a fixed number of aggregate
queries, so their time should not depend much on the number of cases — target ≤ 1 s.
Also timed: the same indicators for one commune, and the 6-month statistics of the province.
"""

import datetime
import random

from bench import harness

harness.setup()

from mediation import selectors  # noqa: E402
from mediation.models import (  # noqa: E402
    Consolidation,
    LeaderElection,
    MediationCase,
    MediationTeam,
    Mediator,
    Outcome,
)
from rules.cccd import make_number  # noqa: E402
from teams.models import (  # noqa: E402
    AdministrativeUnit,
    AreaKind,
    Level,
    Person,
    ResidentialArea,
    Tree,
    UnitKind,
    User,
)

rng = random.Random(15)
COMMUNES, AREAS, CASES, YEAR = 100, 10, 20_000, 2026
D = datetime.date

province = AdministrativeUnit.objects.create(
    tree=Tree.CURRENT,
    level=Level.PROVINCE,
    kind=UnitKind.THANH_PHO_TW,
    code="92",
    name="Thành phố Cần Thơ",
    path="current/92/",
    valid_from=D(2025, 7, 1),
)
communes = AdministrativeUnit.objects.bulk_create(
    AdministrativeUnit(
        tree=Tree.CURRENT,
        level=Level.COMMUNE,
        kind=UnitKind.XA,
        code=f"{31000 + i}",
        name=f"Xã Thử {i}",
        parent=province,
        path=f"current/92/{31000 + i}/",
        valid_from=D(2025, 7, 1),
        jurisdiction="94",
    )
    for i in range(COMMUNES)
)
areas = ResidentialArea.objects.bulk_create(
    ResidentialArea(commune=c, name=f"Ấp {j}", kind=AreaKind.AP, households=400)
    for c in communes
    for j in range(AREAS)
)
teams = MediationTeam.objects.bulk_create(
    MediationTeam(
        commune_id=a.commune_id,
        area=a,
        name=f"Tổ hòa giải {a.name} {a.pk}",
        decision_number="1/QĐ-UBND",
        decision_date=D(2025, 7, 15),
    )
    for a in areas
)
people, serial = [], 0
for _t in teams:
    for _k in range(rng.randint(3, 5)):
        serial += 1
        sex = "nu" if rng.random() < 0.3 else "nam"
        birth = D(rng.randint(1955, 1995), 1, 1)
        people.append(
            Person(
                full_name=f"Người Thử {serial}",
                search_name=f"nguoi thu {serial}",
                birth_date=birth,
                sex=sex,
                cccd=make_number(
                    province_code="094", sex=sex, birth_year=birth.year, serial=serial
                ),
                education="thcs",
                residence_type="thuong_tru",
                residence_address="Ấp",
                residence_since=birth,
            )
        )
people = Person.objects.bulk_create(people, batch_size=2000)
mediators, i = [], 0
for t in teams:
    for _k in range(3 + (t.pk % 3)):
        if i >= len(people):
            break
        mediators.append(
            Mediator(team=t, person=people[i], decision_number="2/QĐ", decision_date=D(2025, 7, 20))
        )
        i += 1
mediators = Mediator.objects.bulk_create(mediators, batch_size=2000)
first = {}
for m in mediators:
    first.setdefault(m.team_id, m)
LeaderElection.objects.bulk_create(
    LeaderElection(
        team_id=tid,
        mediator=m,
        held_on=D(2025, 7, 25),
        mediators_count=3,
        votes=2,
        is_party_secretary=rng.random() < 0.8,
    )
    for tid, m in first.items()
)
Consolidation.objects.bulk_create(
    Consolidation(
        team=t,
        year=YEAR,
        reviewed_on=D(YEAR, 1, 10),
        decision_date=D(YEAR, 1, 20) if rng.random() < 0.96 else None,
    )
    for t in teams
)
user = User.objects.create_user("bench")
cases = []
for n in range(CASES):
    team = teams[n % len(teams)]
    received = D(YEAR, rng.randint(1, 11), rng.randint(1, 28))
    roll = rng.random()
    outcome = Outcome.OPEN if roll < 0.08 else (Outcome.SUCCESS if roll < 0.87 else Outcome.FAILURE)
    cases.append(
        MediationCase(
            team=team,
            number=n // len(teams) + 1,
            received_on=received,
            origin="request",
            parties="A – B",
            case_type=rng.choice(["land", "family", "civil", "other"]),
            content="Tranh chấp",
            out_of_scope=rng.random() < 0.01,
            outcome=outcome,
            closed_on=None if outcome == Outcome.OPEN else received + datetime.timedelta(days=7),
            created_by=user,
        )
    )
MediationCase.objects.bulk_create(cases, batch_size=2000)
harness.figure("mediation cases in the province", CASES, "cases")

window = selectors.year_window(YEAR)
selectors.indicators(unit=communes[0], window=window)  # warm up the connection and caches
with harness.timed("mediation indicators, province of 20,000 cases", target="<= 1"):
    ind = selectors.indicators(unit=province, window=window)
print(
    f"   teams {ind.teams}, consolidated {ind.consolidated.percent}, success "
    f"{ind.success.percent} ({ind.success_cases}/{ind.success.denominator}), open {ind.open_cases}"
)
with harness.timed("mediation indicators, one commune"):
    selectors.indicators(unit=communes[0], window=window)
with harness.timed("mediation 6-month statistics, province"):
    selectors.statistics(unit=province, period=selectors.stat_period("6thang", YEAR))
with harness.timed("mediation consolidation up the tree (100 communes)"):
    selectors.children_rows(unit=province, year=YEAR)
