"""Synthetic rosters whose allowances compute (issue 17 §1), shared by the allowance benchmarks.

Every synthetic member belongs to a jurisdiction whose rules compute: the communes are spread
over the jurisdictions listed in COMPUTING, one formula shape or more each, and every value a
rule still lacks is entered as a BENCHMARK-ONLY parameter (`benchmark_parameters`): clearly
marked in its citation and note, never a real figure, and only where no shipped value exists.

The data covers what makes a run costly: the three roles, concurrent posts on the leaders,
partial months (a tenth of the members start on the 16th), village types on every area, each
commune's minimum-wage region, and duty entries (day, night and holiday; some months above a
cap).
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator

from allowances.models import DutyEntry
from rules import registry
from rules.base import ConcurrentPost
from rules.cccd import make_number
from rules.models import Parameter, database_parameters
from rules.parameters import Source
from teams.models import AdministrativeUnit, AreaKind, Membership, Person, ResidentialArea, Team

#: Jurisdictions whose rules compute from 07/2025 on, and the shape each brings. Kon Tum (62)
#: is left out: its shipped values stop before the 2025 tree, so it would need every figure
#: invented.
COMPUTING = {
    "01": "Hà Nội: fixed VND per role",
    "25": "Phú Thọ: concurrent posts (kiêm nhiệm) paid by share of a post rate",
    "30": "Hải Dương: fixed per role, values benchmark-only",
    "38": "Thanh Hóa: by village type",
    "48": "Đà Nẵng: standard shape",
    "79": "Hồ Chí Minh: % / coefficient of a base",
    "92": "Cần Thơ: base + role add-on",
    "93": "Hậu Giang: duty stipends (night, holiday) with caps",
    "94": "Sóc Trăng: standard shape",
    "95": "Bạc Liêu: % of the regional minimum wage",
}
CITATION = "CHỈ DÙNG CHO BENCHMARK — không phải mức thật"
NOTE = "bench/synthetic.py: benchmark-only value, entered because no shipped value exists"
#: The benchmark-only values, by key (VND): entered only where a rule needs the key and no
#: shipped value applies.
FILL = {
    "support.to_truong": 1_500_000,
    "support.to_pho": 1_300_000,
    "support.to_vien": 1_100_000,
    "support.addon.to_truong": 300_000,
    "support.addon.to_pho": 200_000,
    "duty.day.rate": 80_000,
    "duty.night.rate": 100_000,
    "duty.holiday.rate": 120_000,
    **{f"post_rate.{post}": 1_000_000 for post in ConcurrentPost},
}
ROLES_PER_TEAM = ["to_truong", "to_pho"]  # then Tổ viên
POSTS = [[], [], ["khong_chuyen_trach_kdc"], ["truc_tiep_kdc"], ["doi_truong_dan_phong"]]
DUTY = [("day", 1), ("night", 2), ("holiday", 1), ("night", 12)]  # 12 nights: above a cap


def spread_jurisdictions(communes: list[AdministrativeUnit]) -> None:
    """Give the communes, in turn, each computing jurisdiction and a minimum-wage region."""
    codes = list(COMPUTING)
    for i, commune in enumerate(communes):
        commune.jurisdiction = codes[i % len(codes)]
        commune.minimum_wage_region = ["I", "II", "III", "IV"][i // len(codes) % 4]
    AdministrativeUnit.objects.bulk_update(
        communes, ["jurisdiction", "minimum_wage_region"], batch_size=2000
    )


def benchmark_parameters(codes: list[str], months: list[datetime.date]) -> list[str]:
    """Enter a BENCHMARK-ONLY value for every key of FILL that a rule of `codes` uses and
    that has no value on one of `months`. Returns what was entered ("25 post_rate.… from
    07/2025")."""
    table = database_parameters(codes)
    entered = []
    for code in codes:
        for month in months:
            keys = registry.rule_module(code, month).PARAMETER_KEYS
            for key in keys:
                if key not in FILL or table.find(key, jurisdiction=code, on=month) is not None:
                    continue
                row = Parameter.objects.create(
                    key=key,
                    jurisdiction=code,
                    value=str(FILL[key]),
                    unit="vnd",
                    effective_from=month,
                    source=Source.DEFAULT.value,
                    citation=CITATION,
                    note=NOTE,
                )
                table.add(row.as_value())
                entered.append(f"{code} {key} from {month:%m/%Y}")
    return entered


def teams_with_people(
    communes: list[AdministrativeUnit],
    *,
    teams: int,
    members: int,
    start: datetime.date,
    rng: random.Random,
    serials: Iterator[int],
    prefix: str = "",
    village_types: bool = True,
) -> tuple[list[Team], list[Person]]:
    """`teams` teams over one area each (named "Khu <prefix><i>"), spread over `communes` in
    turn, set up on `start`, and `members` people to serve in them; each person's CCCD serial is
    the next of `serials`. With `village_types`, every area has a village type (Thanh Hóa's
    types 1–3 in jurisdiction 38, elsewhere a type or none)."""
    village_38 = [1, 2, 3]
    village_other = [1, 2, 3, None]
    areas = ResidentialArea.objects.bulk_create(
        (
            ResidentialArea(
                commune=(c := communes[i % len(communes)]),
                name=f"Khu {prefix}{i}",
                kind=AreaKind.KHU,
                households=rng.randint(100, 1200),
                village_type=(
                    rng.choice(village_38 if c.jurisdiction == "38" else village_other)
                    if village_types
                    else None
                ),
            )
            for i in range(teams)
        ),
        batch_size=5000,
    )
    made_teams = Team.objects.bulk_create(
        (
            Team(commune_id=a.commune_id, name=f"Tổ bảo vệ ANTT {a.name}",
                 decision_number="1/QĐ-UBND", decision_date=start)
            for a in areas
        ),
        batch_size=5000,
    )  # fmt: skip
    Team.areas.through.objects.bulk_create(
        (
            Team.areas.through(team_id=t.pk, residentialarea_id=a.pk)
            for t, a in zip(made_teams, areas, strict=True)
        ),
        batch_size=5000,
    )
    birth = datetime.date(1980, 5, 5)
    people = Person.objects.bulk_create(
        (
            Person(full_name=f"Thành viên {prefix}{i}", search_name=f"thanh vien {prefix}{i}",
                   birth_date=birth, sex="nam",
                   cccd=make_number(province_code="025", sex="nam", birth_year=1980,
                                    serial=next(serials)),
                   education="thpt", residence_type="thuong_tru", residence_address="Khu 1",
                   residence_since=datetime.date(2000, 1, 1))
            for i in range(members)
        ),
        batch_size=5000,
    )  # fmt: skip
    return made_teams, people


def roster(
    communes: list[AdministrativeUnit],
    *,
    teams: int,
    members: int,
    start: datetime.date,
    partial_start: datetime.date,
    duty_months: list[datetime.date],
    actor,
    rng: random.Random,
    serial: int = 0,
    duty_share: float = 0.2,
) -> list[Membership]:
    """`teams` teams over one area each, spread over `communes`, and `members` members: a Tổ
    trưởng and a Tổ phó first in every team (with a concurrent post now and then), every tenth
    starting on `partial_start` (a partial month), and `duty_share` of them on duty in each
    of `duty_months`."""
    made_teams, people = teams_with_people(
        communes,
        teams=teams,
        members=members,
        start=start,
        rng=rng,
        serials=itertools.count(serial),
    )
    rows = []
    for i, person in enumerate(people):
        rank = i // teams  # 0: the team's first member (Tổ trưởng), 1: Tổ phó, then Tổ viên
        role = ROLES_PER_TEAM[rank] if rank < len(ROLES_PER_TEAM) else "to_vien"
        rows.append(
            Membership(
                person=person,
                team=made_teams[i % teams],
                role=role,
                start_date=partial_start if i % 10 == 9 else start,
                concurrent_posts=rng.choice(POSTS) if role != "to_vien" else [],
            )
        )
    memberships = Membership.objects.bulk_create(rows, batch_size=5000)
    duty = []
    for month in duty_months:
        for m in rng.sample(memberships, int(len(memberships) * duty_share)):
            kind, units = rng.choice(DUTY)
            duty.append(
                DutyEntry(membership=m, day=month.replace(day=20), kind=kind, units=units,
                          created_by=actor)
            )  # fmt: skip
    DutyEntry.objects.bulk_create(duty, batch_size=5000)
    return memberships
