"""Đà Nẵng (old province 48): the city People's Council's resolutions of June 2024 on team
criteria and member counts and on the regimes of the force (press, 10 June 2024, domain.md §4
[W40]; numbers and articles not found). Applied from 1 July 2024, the day Law 30/2023/QH15
took effect (the resolutions' own date in force was not found).

- Member quota: 3 to 6 members per residential area, so a maximum of 6 (``quota.all.kind`` =
  maximum); an area of more than 1,000 households may have two teams (a team count, which the
  roster handles, not a member quota). A Tổ trưởng may not also hold two head posts.
- Monthly support: coefficients 1.0 / 0.8 / 0.6 × the base salary in force (Tổ trưởng / Tổ phó /
  Tổ viên), rounded to the đồng where multiplied (shape ``by_role`` with coefficient values).
- Duty stipends and insurance top-ups: not reported; an administrator enters them.
"""

from __future__ import annotations

import datetime

from rules import duty, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "48"
TITLE = "Nghị quyết HĐND thành phố Đà Nẵng về Tổ bảo vệ ANTT (06/2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND TP Đà Nẵng về Tổ bảo vệ ANTT (06/2024)"

PARAMETER_KEYS = [
    *(
        f"quota.all.{part}"
        for part in ("bands", "kind", "step_from", "step_size", "top_from", "top_members")
    ),
    *(f"support.{role}" for role in TeamRole),
    *duty.DUTY_KEYS,
    *PROVINCE_KEYS,
    "partial_month.policy",
]


def member_quota(area: AreaFacts, params: ParameterSource, on: datetime.date) -> QuotaResult:
    return quota.quota_for_group(
        area, params, on, jurisdiction=JURISDICTION, group="all", measure="households",
        citation=CITATION, module=__name__,
    )  # fmt: skip


def monthly_support(
    member: MemberFacts, params: ParameterSource, month: datetime.date
) -> AmountResult:
    return support.monthly(
        member, params, month, jurisdiction=JURISDICTION, citation=CITATION, module=__name__,
        shapes=[support.by_role],
    )  # fmt: skip


def duty_stipend(
    duty_facts: DutyFacts, params: ParameterSource, month: datetime.date
) -> AmountResult:
    return duty.duty_stipend(
        duty_facts, params, month, jurisdiction=JURISDICTION, citation=CITATION, module=__name__
    )
