"""Support for members without insurance who fall sick, are injured or die on duty (Law
30/2023/QH15 Art. 24; Decree 40/2024/NĐ-CP Art. 5): medical costs are paid as incurred (not
computed here); the provincial People's Council sets

- ``incident.inpatient_meal_per_day``: a meal allowance per day as an in-patient;
- ``incident.death`` and ``incident.funeral``: a death benefit and a funeral allowance for the
  relatives of a member without social insurance who dies;
- ``incident.capacity.min_percent``, ``incident.capacity.base``, ``incident.capacity.per_percent``:
  the benefit by loss of working capacity (Law Art. 24(3): a member without social insurance
  who has an accident on duty gets a benefit scaled to the loss assessed by the Medical
  Assessment Council). The shape: nothing below ``min_percent``; ``base`` at ``min_percent``;
  ``per_percent`` for each further percent. No shipped province has figures for it (the
  sources give none): an administrator enters them, and a claim with a loss names them while
  they are missing.

Units drive the arithmetic (domain.md §13: Hải Dương's figures are exact multiples of the base
salary), the same for every amount above:

- ``vnd``: that many đồng (per day for the meal allowance);
- ``coefficient``: × the base salary in force on the day of the incident (36 → 36 × 2,340,000);
- ``percent``: % of that base salary (the meal allowance "3 % of the base salary a day").

Rounding: each line is computed exactly and rounded once to the đồng (``round_vnd``); the
meal line rounds the daily amount first (what is paid per day), then multiplies by the days.
The trace says which.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from .base import AmountResult, RuleError, TraceItem
from .money import round_vnd
from .parameters import ParameterSource, ParameterValue, Unit
from .support import Lookup, shown, vnd

CAPACITY_KEYS = [
    "incident.capacity.min_percent",
    "incident.capacity.base",
    "incident.capacity.per_percent",
]
INCIDENT_KEYS = [
    "incident.inpatient_meal_per_day",
    "incident.death",
    "incident.funeral",
    *CAPACITY_KEYS,
]
AMOUNT_UNITS = (Unit.VND, Unit.COEFFICIENT, Unit.PERCENT)


def exact_amount(value: ParameterValue, look: Lookup) -> tuple[Fraction, str, list[TraceItem]]:
    """A money parameter in đồng, exactly, by its unit: (amount, how, base-salary trace)."""
    if value.unit == Unit.VND:
        return value.number, shown(value), []
    if value.unit in (Unit.COEFFICIENT, Unit.PERCENT):
        base = look.national("base_salary")
        base_line = [TraceItem("Mức lương cơ sở", "", shown(base), base.citation)]
        if value.unit == Unit.COEFFICIENT:
            how = f"{shown(value)} × {base.shown}"
            return value.number * base.whole, how, base_line
        how = f"{shown(value)} × {base.shown}"
        return value.number * base.whole / 100, how, base_line
    raise RuleError(
        f"Tham số «{value.label}» có đơn vị «{value.unit.label}», không dùng được cho số tiền hỗ "
        "trợ (cần đồng, hệ số × lương cơ sở hoặc % lương cơ sở)."
    )


def _meal(look: Lookup, days: int) -> tuple[int, list[TraceItem]]:
    meal = look.get("incident.inpatient_meal_per_day")
    per_day, how, trace = exact_amount(meal, look)
    daily = round_vnd(per_day)
    rounding = "" if meal.unit == Unit.VND else f" = {vnd(daily)}/ngày (làm tròn đến đồng)"
    total = days * daily
    trace.append(
        TraceItem(
            "Tiền ăn điều trị nội trú",
            f"{days} ngày × {how}{rounding}",
            vnd(total),
            meal.citation,
        )
    )
    return total, trace


def _fixed(look: Lookup, key: str, label: str) -> tuple[int, list[TraceItem]]:
    value = look.get(key)
    exact, how, trace = exact_amount(value, look)
    amount = round_vnd(exact)
    formula = "mức cố định" if value.unit == Unit.VND else f"{how}, làm tròn đến đồng"
    trace.append(TraceItem(label, formula, vnd(amount), value.citation))
    return amount, trace


def _capacity(look: Lookup, loss: int) -> tuple[int, list[TraceItem]]:
    values = look.get_all(CAPACITY_KEYS)
    threshold = values["incident.capacity.min_percent"]
    if loss < threshold.whole:
        return 0, [
            TraceItem(
                "Trợ cấp theo mức suy giảm khả năng lao động",
                f"suy giảm {loss} % dưới mức {threshold.whole} %: không hưởng",
                vnd(0),
                threshold.citation,
            )
        ]
    base, base_how, trace = exact_amount(values["incident.capacity.base"], look)
    step, step_how, _ = exact_amount(values["incident.capacity.per_percent"], look)
    extra = loss - threshold.whole
    amount = round_vnd(base + extra * step)
    trace.append(
        TraceItem(
            "Trợ cấp theo mức suy giảm khả năng lao động",
            f"suy giảm {loss} %: {base_how} + {extra} × {step_how}, làm tròn đến đồng",
            vnd(amount),
            values["incident.capacity.base"].citation,
        )
    )
    return amount, trace


def uninsured_incident(
    *,
    jurisdiction: str,
    on: datetime.date,
    params: ParameterSource,
    inpatient_days: int = 0,
    died: bool = False,
    capacity_loss: int = 0,
    citation: str,
    module: str,
) -> AmountResult:
    if inpatient_days < 0:
        raise RuleError("Số ngày điều trị nội trú không được âm.")
    if not 0 <= capacity_loss <= 100:
        raise RuleError("Tỷ lệ suy giảm khả năng lao động phải từ 0 đến 100 %.")
    look = Lookup(params, jurisdiction, on)
    total, trace = 0, []
    parts = []
    if inpatient_days:
        parts.append(_meal(look, inpatient_days))
    if capacity_loss and not died:
        parts.append(_capacity(look, capacity_loss))
    if died:
        parts.append(_fixed(look, "incident.death", "Trợ cấp một lần khi chết"))
        parts.append(_fixed(look, "incident.funeral", "Trợ cấp mai táng"))
    for amount, lines in parts:
        total += amount
        trace.extend(lines)
    trace.append(TraceItem("Tổng số tiền hỗ trợ", "", vnd(total), citation))
    return AmountResult(total, citation, _unique(trace), module, tuple(look.used))


def _unique(trace: list[TraceItem]) -> tuple[TraceItem, ...]:
    """The base salary is shown once, however many lines use it."""
    seen: list[TraceItem] = []
    for item in trace:
        if item not in seen:
            seen.append(item)
    return tuple(seen)
