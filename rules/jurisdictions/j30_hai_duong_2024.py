"""Hải Dương (old province 30; now part of Hải Phòng): two resolutions of the provincial
People's Council.

1. The resolution on team criteria and member counts (and one on monthly support), passed
   June 2024, in force 1 July 2024 (press, 11 June 2024, domain.md §4 [W44]; numbers not found):
   one team per village or residential area; under 800 households → 3 members; 800–999 → 4;
   1,000 and more → a figure cut off in the source (UNVERIFIED: ``quota.all.top_members`` is not
   shipped, so such areas are an error naming it). The monthly support amounts were not
   reported: ``support.<role>`` is not shipped either.
2. Resolution 30/2024/NQ-HĐND of 11 Dec 2024 (press, domain.md §4 [W43]; articles not found):
   - duty stipend 50,000 VND per day, at most 7 days a month (``duty.day.max_units``);
   - HI: the province pays 100 % of the household contribution of the first person;
   - VSI: the province adds 30 % of the contribution at the rural poverty line on top of the
     central support;
   - uninsured members (Law Art. 24): meals 70,200 VND per in-patient day; death 53,640,000 VND
     plus funeral 14,900,000 VND (``uninsured_incident``).
   Its date in force was not found: the data uses 21/12/2024, the earliest the 2015 Law on
   Promulgation of Legal Documents (Art. 151(1): 10 days after signing) allows.
"""

from __future__ import annotations

import datetime

from rules import duty, incident, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "30"
TITLE = (
    "Nghị quyết HĐND tỉnh Hải Dương về Tổ bảo vệ ANTT (06/2024) và NQ 30/2024/NQ-HĐND (11/12/2024)"
)
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
QUOTA_CITATION = "NQ của HĐND tỉnh Hải Dương về tiêu chí số lượng thành viên Tổ bảo vệ ANTT (hiệu lực 01/07/2024)"
SUPPORT_CITATION = (
    "NQ của HĐND tỉnh Hải Dương về mức hỗ trợ lực lượng tham gia bảo vệ ANTT (hiệu lực 01/07/2024)"
)
CITATION_30 = "NQ 30/2024/NQ-HĐND tỉnh Hải Dương (11/12/2024)"

PARAMETER_KEYS = [
    *(f"quota.all.{part}" for part in ("bands", "kind", "top_from", "top_members")),
    *(f"support.{role}" for role in TeamRole),
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
        module=__name__, shapes=[support.by_role],
    )  # fmt: skip


def duty_stipend(duty_facts: DutyFacts, params: ParameterSource, on: datetime.date) -> AmountResult:
    return duty.duty_stipend(
        duty_facts, params, on, jurisdiction=JURISDICTION, citation=CITATION_30, module=__name__
    )


def uninsured_incident(
    params: ParameterSource,
    on: datetime.date,
    *,
    inpatient_days: int = 0,
    died: bool = False,
    capacity_loss: int = 0,
) -> AmountResult:
    return incident.uninsured_incident(
        jurisdiction=JURISDICTION, on=on, params=params, inpatient_days=inpatient_days,
        died=died, capacity_loss=capacity_loss, citation=CITATION_30, module=__name__,
    )  # fmt: skip
