"""The entry points the apps call: look up the rule module, apply it, return the result."""

from __future__ import annotations

import datetime

from .base import AmountResult, AreaFacts, MemberFacts, QuotaResult
from .parameters import ParameterSource
from .registry import rule_module


def member_quota(
    *, jurisdiction: str, area: AreaFacts, on: datetime.date, params: ParameterSource
) -> QuotaResult:
    return rule_module(jurisdiction, on).member_quota(area, params, on)


def monthly_support(
    *, jurisdiction: str, member: MemberFacts, month: datetime.date, params: ParameterSource
) -> AmountResult:
    month = month.replace(day=1)
    return rule_module(jurisdiction, month).monthly_support(member, params, month)
