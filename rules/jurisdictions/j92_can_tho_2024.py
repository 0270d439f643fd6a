"""Cần Thơ (old province 92): Resolution 03/2024/NQ-HĐND of the city People's Council, 5 July
2024, on the monthly support and other support and stipends of the security-and-order teams.

Structure, from the city's implementation plan 175/KH-UBND of 20 Aug 2024 (seed 001):
Art. 2(1)(a–b) monthly support; Art. 2(2)(a–c) duty stipends; Art. 3(1)/(2) VSI/HI support;
Art. 4(1)(a–b) uninsured members sick or injured; Art. 4(2)(a–b) uninsured accident or death;
Art. 5 funding.

Figures (press, domain.md §4 [W33][W34]):
- Member quota: one team per hamlet or urban block; under 350 households → 3, 350–749 → up to
  6, 750–999 → up to 7 (maxima: ``quota.all.kind`` = maximum). Areas of 1,000 households or
  more are not covered by what was reported: ``quota.all.top_from`` = 1000 makes them an error
  naming ``quota.all.top_members`` until an administrator enters it.
- Monthly support: 0.8 × the base salary for every member (Art. 2(1); which point, a or b, was
  not confirmed), plus extras for Tổ trưởng and Tổ phó (``support.addon.<role>``) and by training
  level (``support.training.<level>``): their amounts are UNVERIFIED and not shipped, so a
  Tổ trưởng's or Tổ phó's support, or a member with a recorded training level, is an error
  naming the parameter to enter. A Tổ viên with no recorded training level gets the base only.
- Duty stipends (Art. 2(2)) and insurance support (Art. 3): amounts UNVERIFIED, not shipped.

Date in force: not found. The data uses 15/07/2024, the earliest the 2015 Law on Promulgation
of Legal Documents allows (10 days after signing); an administrator corrects it if the text
says otherwise.
"""

from __future__ import annotations

import datetime

from rules import duty, incident, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "92"
TITLE = "Nghị quyết 03/2024/NQ-HĐND thành phố Cần Thơ (05/7/2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 15)
QUOTA_CITATION = "Tiêu chí số thành viên Tổ bảo vệ ANTT TP Cần Thơ (2024)"
SUPPORT_CITATION = "NQ 03/2024/NQ-HĐND TP Cần Thơ, Điều 2, khoản 1"
DUTY_CITATION = "NQ 03/2024/NQ-HĐND TP Cần Thơ, Điều 2, khoản 2"
ADDON_ROLES = (TeamRole.TO_TRUONG, TeamRole.TO_PHO)

PARAMETER_KEYS = [
    *(f"quota.all.{part}" for part in ("bands", "kind", "top_from", "top_members")),
    "support.base",
    *(f"support.addon.{role}" for role in ADDON_ROLES),
    *duty.DUTY_KEYS,
    *PROVINCE_KEYS,
    *incident.INCIDENT_KEYS,
    "partial_month.policy",
]


def member_quota(area: AreaFacts, params: ParameterSource, on: datetime.date) -> QuotaResult:
    return quota.quota_for_group(
        area, params, on, jurisdiction=JURISDICTION, group="all", measure="households",
        citation=QUOTA_CITATION, module=__name__,
    )  # fmt: skip


def monthly_support(
    member: MemberFacts, params: ParameterSource, month: datetime.date
) -> AmountResult:
    return support.monthly(
        member, params, month, jurisdiction=JURISDICTION, citation=SUPPORT_CITATION,
        module=__name__, shapes=[support.base_plus_addon(ADDON_ROLES), support.training_extra],
    )  # fmt: skip


def duty_stipend(duty_facts: DutyFacts, params: ParameterSource, on: datetime.date) -> AmountResult:
    return duty.duty_stipend(
        duty_facts, params, on, jurisdiction=JURISDICTION, citation=DUTY_CITATION,
        module=__name__,
    )  # fmt: skip


INCIDENT_CITATION = "NQ 03/2024/NQ-HĐND TP Cần Thơ, Điều 4"


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
