"""Members who join or leave during a month (partial months).

The resolutions seen so far do not say how a partial month is paid, so each jurisdiction may
set ``partial_month.policy`` (unit ``choice``), dated and cited like any parameter:

- ``full``: the whole month's amount for any day of membership;
- ``pro_rata``: amount × active days ÷ calendar days of the month;
- ``full_if_15_days``: the whole amount from 15 active days on; fewer days are paid pro rata
  (never less than pro rata: the setting only rounds a mostly-served month up).

With no setting in force the default is ``pro_rata`` by calendar days, and the trace says
"mặc định" so nobody mistakes it for the province's rule.

Rounding: the pro-rata share is computed exactly (Fraction) and rounded once to the whole đồng
with ``round_vnd`` (nearest, halves away from zero): 1,100,000 × 10 ÷ 31 = 354,838.7… → 354,839 đ.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .base import RuleError, TraceItem
from .catalogue import CHOICE_NAMES
from .money import round_vnd
from .parameters import ParameterSource
from .support import vnd

KEY = "partial_month.policy"


class Policy(StrEnum):
    FULL = "full"
    PRO_RATA = "pro_rata"
    FULL_IF_15_DAYS = "full_if_15_days"

    @property
    def label(self) -> str:
        return CHOICE_NAMES[KEY][self.value]


@dataclass(frozen=True)
class PolicyInForce:
    policy: Policy
    citation: str = ""
    default: bool = False


DEFAULT = PolicyInForce(Policy.PRO_RATA, "", default=True)


def policy_for(params: ParameterSource, jurisdiction: str, month: datetime.date) -> PolicyInForce:
    value = params.find(KEY, jurisdiction=jurisdiction, on=month.replace(day=1))
    if value is None:
        return DEFAULT
    try:
        return PolicyInForce(Policy(str(value.value)), value.citation)
    except ValueError:
        raise RuleError(
            f"Tham số «{value.label}» phải là full, pro_rata hoặc full_if_15_days, "
            f"không phải «{value.value}»."
        ) from None


def days_in(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def prorate(
    amount: int, active_days: int, days_in_month: int, policy: Policy | PolicyInForce
) -> tuple[int, TraceItem]:
    """The part of a month's `amount` due for `active_days` of `days_in_month`, with its trace
    step. Rounded once, to the nearest đồng (``round_vnd``)."""
    rule = policy if isinstance(policy, PolicyInForce) else PolicyInForce(Policy(policy))
    if not 28 <= days_in_month <= 31:
        raise RuleError(f"Một tháng có từ 28 đến 31 ngày, không phải {days_in_month}.")
    if not 0 <= active_days <= days_in_month:
        raise RuleError(
            f"Số ngày tham gia trong tháng phải từ 0 đến {days_in_month}, không phải {active_days}."
        )
    label = "Tháng không đủ ngày" + (" (cách tính mặc định)" if rule.default else "")
    citation = rule.citation or (
        "mặc định của phần mềm khi tỉnh chưa quy định: theo ngày thực tế" if rule.default else ""
    )
    full = active_days == days_in_month or rule.policy == Policy.FULL
    if rule.policy == Policy.FULL_IF_15_DAYS and active_days >= 15:
        full = True
    if full and active_days > 0:
        return amount, TraceItem(
            label, f"{active_days}/{days_in_month} ngày: {rule.policy.label}", vnd(amount), citation
        )
    share = round_vnd(Fraction(amount) * active_days / days_in_month)
    return share, TraceItem(
        label,
        f"{vnd(amount)} × {active_days} ÷ {days_in_month} ngày, làm tròn đến đồng "
        f"({rule.policy.label})",
        vnd(share),
        citation,
    )
