"""Thanh Hóa (old province 38): the provincial People's Council's resolution on the force
(press, Aug 2024, domain.md §4 [W41]; number, articles and date in force not found; applied
from 1 July 2024, the day Law 30/2023/QH15 took effect).

- Member quota: 3 per team (4,351 teams, 13,053 members).
- Monthly support by the classification of the village or residential group (thôn, tổ dân phố
  loại 1, 2, 3): type 1: 0.7 / 0.65 / 0.6 × the base salary (Tổ trưởng / Tổ phó / Tổ viên);
  types 2 and 3: 0.65 / 0.6 / 0.56, rounded to the đồng where multiplied (shape
  ``by_village_type``). Types 2 and 3 have a row each in the data, with the same values.
- Duty stipends and insurance top-ups: not reported; an administrator enters them.
"""

from __future__ import annotations

import datetime

from rules import duty, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "38"
TITLE = "Nghị quyết HĐND tỉnh Thanh Hóa về Tổ bảo vệ ANTT (2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND tỉnh Thanh Hóa về Tổ bảo vệ ANTT (2024)"
VILLAGE_TYPES = (1, 2, 3)

PARAMETER_KEYS = [
    *(f"quota.all.{part}" for part in ("bands", "kind", "step_from", "step_size")),
    *(f"support.type{t}.{role}" for t in VILLAGE_TYPES for role in TeamRole),
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
        shapes=[support.by_village_type(VILLAGE_TYPES)],
    )  # fmt: skip


def duty_stipend(duty_facts: DutyFacts, params: ParameterSource, on: datetime.date) -> AmountResult:
    return duty.duty_stipend(
        duty_facts, params, on, jurisdiction=JURISDICTION, citation=CITATION, module=__name__
    )
