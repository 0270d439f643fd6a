"""Sóc Trăng (old province 94; now part of Cần Thơ, whose communes from Sóc Trăng keep these
rules): the provincial People's Council's resolution on the force (press, domain.md §4 [W46];
number, articles and date in force not found; applied from 1 July 2024, the day Law
30/2023/QH15 took effect).

- Member quota by residents (nhân khẩu) of the area: under 3,000 → 3; 3,000–4,999 → 4;
  5,000 and more → 5.
- Monthly support: 1,380,000 / 1,207,500 / 1,035,000 VND (Tổ trưởng / Tổ phó / Tổ viên).
- Duty stipends and insurance top-ups: not reported; an administrator enters them.
"""

from __future__ import annotations

import datetime

from rules import duty, incident, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "94"
TITLE = "Nghị quyết HĐND tỉnh Sóc Trăng về Tổ bảo vệ ANTT (2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND tỉnh Sóc Trăng về Tổ bảo vệ ANTT (2024)"

PARAMETER_KEYS = [
    *(
        f"quota.all.{part}"
        for part in ("bands", "kind", "step_from", "step_size", "top_from", "top_members")
    ),
    *(f"support.{role}" for role in TeamRole),
    *duty.DUTY_KEYS,
    *PROVINCE_KEYS,
    *incident.INCIDENT_KEYS,
    "partial_month.policy",
]


def member_quota(area: AreaFacts, params: ParameterSource, on: datetime.date) -> QuotaResult:
    return quota.quota_for_group(
        area, params, on, jurisdiction=JURISDICTION, group="all", measure="residents",
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


INCIDENT_CITATION = CITATION


def uninsured_incident(
    params: ParameterSource,
    on: datetime.date,
    *,
    inpatient_days: int = 0,
    died: bool = False,
    capacity_loss: int = 0,
) -> AmountResult:
    """Members without insurance (Law 30/2023 Art. 24, Decree 40/2024 Art. 5): the meal
    allowance per in-patient day and the death and funeral amounts are provincial parameters
    (``incident.*``); the error names the one to enter while it is missing."""
    return incident.uninsured_incident(
        jurisdiction=JURISDICTION, on=on, params=params, inpatient_days=inpatient_days,
        died=died, capacity_loss=capacity_loss, citation=INCIDENT_CITATION, module=__name__,
    )  # fmt: skip
