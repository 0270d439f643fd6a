"""Bạc Liêu (old province 95): the provincial People's Council's resolution on the force
(press, 12 June 2024, domain.md §4 [W42]; number, articles and date in force not found; applied
from 1 July 2024, the day Law 30/2023/QH15 took effect).

- Monthly support: 40 % / 35 % / 32 % of the regional minimum wage (Tổ trưởng / Tổ phó / Tổ
  viên) of the commune's region (I–IV), rounded to the đồng (shape ``by_role`` with percent
  values). The minimum wage used is the one in force that month (Decree 74/2024/NĐ-CP, then
  Decree 293/2025/NĐ-CP from 1 January 2026); whether the resolution meant the wage in force at
  adoption is not known (open question).
- Duty stipend: night duty 50,000 VND per shift, at most 500,000 VND a month
  (``duty.night.max_amount``).
- Member quota and insurance top-ups: not reported; computing them names the missing parameters.
"""

from __future__ import annotations

import datetime

from rules import duty, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "95"
TITLE = "Nghị quyết HĐND tỉnh Bạc Liêu về Tổ bảo vệ ANTT (2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND tỉnh Bạc Liêu về Tổ bảo vệ ANTT (2024)"

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
