"""Hà Nội (old province 01): the city People's Council's resolution on the grassroots
security-and-order force, in force 1 July 2024. Its number and article numbers were not found
(figures from the press, domain.md §4 [W36][W37]), so citations name the resolution by its city
and date only.

- Member quota by households of the residential area: under 350 → 3; 350–499 → 4; 500 and
  more → 5 (bands, exact).
- Monthly support: 2,520,000 VND for every member, plus a role add-on: Tổ trưởng +300,000,
  Tổ phó +200,000 (shape ``base_plus_addon``).
- Duty stipend: 100,000 VND per day of duty lasting 4 hours or more (only such days are counted).
- Insurance top-ups: VSI 234,000 VND/month and HI 54,000 VND/month, fixed amounts. From
  15/08/2025 the state pays 50 % of HI (52,650 VND), so the city's 54,000 is cut to what remains
  and the member pays nothing (``rules.insurance``).
"""

from __future__ import annotations

import datetime

from rules import duty, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "01"
TITLE = "Nghị quyết HĐND thành phố Hà Nội về lực lượng tham gia bảo vệ ANTT ở cơ sở (hiệu lực 01/07/2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND TP Hà Nội về Tổ bảo vệ ANTT (hiệu lực 01/07/2024)"
ADDON_ROLES = (TeamRole.TO_TRUONG, TeamRole.TO_PHO)

PARAMETER_KEYS = [
    "quota.all.bands",
    "support.base",
    *(f"support.addon.{role}" for role in ADDON_ROLES),
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
        shapes=[support.base_plus_addon(ADDON_ROLES)],
    )  # fmt: skip


def duty_stipend(duty_facts: DutyFacts, params: ParameterSource, on: datetime.date) -> AmountResult:
    return duty.duty_stipend(
        duty_facts, params, on, jurisdiction=JURISDICTION, citation=CITATION, module=__name__
    )
