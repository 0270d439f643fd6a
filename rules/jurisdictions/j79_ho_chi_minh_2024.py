"""TP. Hồ Chí Minh (old province 79): the city People's Council's resolution of June 2024
(press reprint of city news, 22 June 2024, domain.md §4 [W38]; number and articles not found;
applied from 1 July 2024) and Resolution 54/2025/NQ-HĐND (press, 27 Nov 2025, [W39]).

- Member quota by residents of the area: up to 2,700 → 3; 2,701–3,600 → 4; one more per full
  900 residents above 3,600 (4,861 teams, at most 15,031 members).
- Monthly support: 6,500,000 / 6,300,000 / 6,000,000 VND (Tổ trưởng / Tổ phó / Tổ viên).
- NQ 54/2025: the city pays 100 % of the HI and VSI contributions, the contributions being
  based on the monthly support: ``vsi.income_basis`` = monthly_support and both top-ups are
  100 % of what the central state leaves. Its date in force was not found: the data says
  01/01/2026 as an UNVERIFIED assumption (``verified = false``), which an administrator corrects.
  HI stays 4.5 % of the base salary (the statutory base); only VSI follows the support.
  Whether the post-merger city's resolution also covers communes from old Bình Dương and
  Bà Rịa - Vũng Tàu is an open question; it is modelled for jurisdiction 79 only.
"""

from __future__ import annotations

import datetime

from rules import duty, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import ParameterSource

JURISDICTION = "79"
TITLE = "Nghị quyết HĐND TP.HCM về Tổ bảo vệ ANTT (06/2024) và NQ 54/2025/NQ-HĐND"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ của HĐND TP.HCM về Tổ bảo vệ ANTT (06/2024)"

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
