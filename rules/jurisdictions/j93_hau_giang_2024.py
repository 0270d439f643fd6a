"""Hậu Giang (old province 93): the provincial People's Council's resolution on the force
(press, 14 June 2024, domain.md §4 [W45]; number, articles and date in force not found; applied
from 1 July 2024, the day Law 30/2023/QH15 took effect).

- Member quota: 3 to 6 per team, so a maximum of 6 (525 teams in the province).
- Monthly support: 1,500,000 / 1,300,000 / 1,100,000 VND (Tổ trưởng / Tổ phó / Tổ viên).
- Duty stipends: training days at the daily basic meal rate of a police conscript (70,000 VND
  at adoption; Law Art. 23(2)(a)); night duty and duty on rest days and holidays 30,000 VND per
  night or day.
- Insurance: VSI "at the minimum level" (read as: the province pays what the poverty-line
  contribution leaves after the central support; UNVERIFIED reading, flagged in the data) and
  100 % of the household HI contribution.
"""

from __future__ import annotations

import datetime

from rules import duty, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "93"
TITLE = "Nghị quyết HĐND tỉnh Hậu Giang về Tổ bảo vệ ANTT (2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND tỉnh Hậu Giang về Tổ bảo vệ ANTT (2024)"

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
