"""Kon Tum (old province 62; now part of Quảng Ngãi, whose communes from Kon Tum keep these
rules): Resolution 24/2024/NQ-HĐND of the provincial People's Council, 28 June 2024, "quy định
về tiêu chí thành lập Tổ bảo vệ an ninh, trật tự; tiêu chí về số lượng thành viên Tổ bảo vệ an
ninh, trật tự; mức chi và một số chế độ, chính sách đối với lực lượng tham gia Tổ bảo vệ an
ninh, trật tự ở cơ sở trên địa bàn tỉnh Kon Tum".

What is known (the province's implementation plan, seed 000): the resolution sets team criteria,
member counts, spending levels and regimes; Art. 4(1) provides for buying flashlights and
whistles; the social-insurance office compiles VSI/HI participants and support quarterly and the
districts advance the funds at the start of each quarter.

What is not known (domain.md §10.1, UNVERIFIED): the thresholds, the amounts per role, the
stipends and the insurance percentages, and the article of each. None is shipped. The module
uses the commonest shapes (member bands by households, a fixed amount per role, a provincial
insurance mode) and refuses every computation until an administrator has entered all of
``REQUIRED_KEYS`` with their citations: the error lists exactly the ones still missing, all at
once, so a half-entered resolution never produces a payment list. If the text turns out to use
another shape (coefficients, village types…), the values say so by their unit (a coefficient ×
base salary works as is) or the module is replaced by one of the shared shapes.

Date in force: not found (UNVERIFIED). The module applies from 1 July 2024, the day Law
30/2023/QH15 took effect. The resolution is dated 28 June 2024 (seed 000), and a provincial
resolution takes effect no earlier than 10 days after signing (Law on Promulgation of Legal
Documents 2015, Art. 151(1), hence 8 July 2024) unless it was adopted by the shortened procedure
(Art. 151(2), from signing). So 1 July 2024 holds only if the text says so. No figure is shipped,
so nothing is paid on the assumption; an administrator who finds the text corrects
``EFFECTIVE_FROM`` here and the parameters' own dates.
"""

from __future__ import annotations

import datetime

from rules import duty, equipment, quota, support
from rules.base import (
    AmountResult,
    AreaFacts,
    DutyFacts,
    MemberFacts,
    MissingParameters,
    QuotaResult,
    TeamRole,
)
from rules.catalogue import parameter_label
from rules.parameters import ParameterSource, where

JURISDICTION = "62"
TITLE = "Nghị quyết 24/2024/NQ-HĐND tỉnh Kon Tum (28/6/2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
CITATION = "NQ 24/2024/NQ-HĐND tỉnh Kon Tum (28/6/2024)"

REQUIRED_KEYS = [
    "quota.all.bands",
    *(f"support.{role}" for role in TeamRole),
    "vsi.province.mode",
    "hi.province.mode",
]
PARAMETER_KEYS = [
    *REQUIRED_KEYS,
    *(
        f"quota.all.{part}"
        for part in ("kind", "step_from", "step_size", "top_from", "top_members")
    ),
    "vsi.province.amount",
    "vsi.province.percent",
    "vsi.income_basis",
    "hi.province.amount",
    "hi.province.percent",
    *duty.DUTY_KEYS,
    *equipment.PROVINCIAL_KEYS,
    "partial_month.policy",
]


def require(params: ParameterSource, on: datetime.date) -> None:
    """Refuse to compute until every figure of the resolution has been entered."""
    missing = [
        (key, parameter_label(key), where(JURISDICTION), on)
        for key in REQUIRED_KEYS
        if params.find(key, jurisdiction=JURISDICTION, on=on) is None
    ]
    if missing:
        raise MissingParameters(missing)


def member_quota(area: AreaFacts, params: ParameterSource, on: datetime.date) -> QuotaResult:
    require(params, on)
    return quota.quota_for_group(
        area, params, on, jurisdiction=JURISDICTION, group="all", measure="households",
        citation=CITATION, module=__name__,
    )  # fmt: skip


def monthly_support(
    member: MemberFacts, params: ParameterSource, month: datetime.date
) -> AmountResult:
    require(params, month)
    return support.monthly(
        member, params, month, jurisdiction=JURISDICTION, citation=CITATION, module=__name__,
        shapes=[support.by_role],
    )  # fmt: skip


def duty_stipend(duty_facts: DutyFacts, params: ParameterSource, on: datetime.date) -> AmountResult:
    require(params, on)
    return duty.duty_stipend(
        duty_facts, params, on, jurisdiction=JURISDICTION, citation=CITATION, module=__name__
    )
