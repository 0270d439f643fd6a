"""The entry points the apps, the command-line calculator and the web calculator call: look up
the rule module in force, apply it, return the result. Nothing here knows a figure."""

from __future__ import annotations

import dataclasses
import datetime

from . import insurance as insurance_rules
from . import partial_month
from .base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, RuleError
from .parameters import ParameterSource
from .registry import rule_module


def _module(jurisdiction: str, on: datetime.date, params: ParameterSource):
    module = rule_module(jurisdiction, on)
    require = getattr(module, "require", None)
    if require is not None:
        require(params, on)
    return module


def member_quota(
    *, jurisdiction: str, area: AreaFacts, on: datetime.date, params: ParameterSource
) -> QuotaResult:
    return _module(jurisdiction, on, params).member_quota(area, params, on)


def monthly_support(
    *,
    jurisdiction: str,
    member: MemberFacts,
    month: datetime.date,
    params: ParameterSource,
    active_days: int | None = None,
) -> AmountResult:
    """The month's support; with `active_days`, the share for a partial month under the
    jurisdiction's ``partial_month.policy`` (default: pro rata by calendar days)."""
    month = month.replace(day=1)
    result = _module(jurisdiction, month, params).monthly_support(member, params, month)
    if active_days is None:
        return result
    rule = partial_month.policy_for(params, jurisdiction, month)
    amount, step = partial_month.prorate(
        result.amount, active_days, partial_month.days_in(month), rule
    )
    return dataclasses.replace(result, amount=amount, trace=(*result.trace, step))


def duty_stipend(
    *, jurisdiction: str, duty: DutyFacts, month: datetime.date, params: ParameterSource
) -> AmountResult:
    month = month.replace(day=1)
    return _module(jurisdiction, month, params).duty_stipend(duty, params, month)


def insurance(
    *,
    jurisdiction: str,
    scheme: str,
    on: datetime.date,
    params: ParameterSource,
    groups=frozenset(),
    income: int | None = None,
    months_supported: int = 0,
    member: MemberFacts | None = None,
    household_position: int | None = None,
) -> insurance_rules.InsuranceResult:
    """One month of VSI or HI support for a member of `jurisdiction`, on the values in force on
    `on`. Where the VSI income is the monthly support (TP.HCM), `member` gives the role."""
    _module(jurisdiction, on, params)
    scheme = insurance_rules.Scheme(scheme)
    if scheme == insurance_rules.Scheme.HI:
        return insurance_rules.hi(
            jurisdiction=jurisdiction,
            on=on,
            params=params,
            household_position=household_position,
        )
    support = None
    if income is None and member is not None:
        basis = params.find("vsi.income_basis", jurisdiction=jurisdiction, on=on)
        if basis is not None and basis.value == "monthly_support":
            support = monthly_support(
                jurisdiction=jurisdiction, member=member, month=on, params=params
            ).amount
    return insurance_rules.vsi(
        jurisdiction=jurisdiction,
        on=on,
        groups=groups,
        params=params,
        income=income,
        months_supported=months_supported,
        monthly_support=support,
    )


def uninsured_incident(
    *,
    jurisdiction: str,
    on: datetime.date,
    params: ParameterSource,
    inpatient_days: int = 0,
    died: bool = False,
    capacity_loss: int = 0,
) -> AmountResult:
    module = _module(jurisdiction, on, params)
    if not hasattr(module, "uninsured_incident"):
        raise RuleError(
            f"{module.TITLE}: chưa có mức hỗ trợ thành viên chưa tham gia BHXH, BHYT trong hệ thống."
        )
    return module.uninsured_incident(
        params, on, inpatient_days=inpatient_days, died=died, capacity_loss=capacity_loss
    )
