"""Duty stipends (bồi dưỡng), Law 30/2023/QH15 Art. 23(2): members on assigned duty are paid

- (a) in training: the daily basic meal rate of a police conscript;
- (b) for duty from 22:00 to 06:00, on rest days and holidays, or heavy, toxic or dangerous work:
  a rate the provincial People's Council sets;
- (c) in border, island, mountainous, extremely disadvantaged, ethnic-minority or key defence
  communes: an extra daily amount the provincial People's Council sets.

Every kind is counted in units (days, nights or shifts; `DutyFacts`) and read from
``duty.<kind>.rate`` (whole đồng, or a coefficient × base salary). Caps, each optional:

1. ``duty.<kind>.max_units``: only that many units of the kind are paid in a month
   (Hải Dương: 7 days);
2. ``duty.<kind>.max_amount``: the kind's monthly amount is capped (Bạc Liêu: 500,000 đ of night
   shifts);
3. ``duty.max_amount``: all kinds together are capped.

They apply in that order; the trace shows every cap that bit. A kind with units but no rate in
force is an error naming every such rate at once, never a silent zero: the province may pay it
under a rate nobody has entered yet.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from .base import AmountResult, DutyFacts, DutyKind, MissingParameters, RuleError, TraceItem
from .catalogue import parameter_label
from .money import round_vnd
from .parameters import ParameterSource, Unit, where
from .support import Lookup, shown, vnd

DUTY_KEYS = [
    *(f"duty.{kind}.{part}" for kind in DutyKind for part in ("rate", "max_units", "max_amount")),
    "duty.max_amount",
]


def duty_stipend(
    duty: DutyFacts,
    params: ParameterSource,
    month: datetime.date,
    *,
    jurisdiction: str,
    citation: str,
    module: str,
) -> AmountResult:
    month = month.replace(day=1)
    look = Lookup(params, jurisdiction, month)
    worked = [(DutyKind(kind), units) for kind, units in duty.units.items() if units]
    worked.sort(key=lambda item: list(DutyKind).index(item[0]))
    missing = [
        (key, parameter_label(key), where(jurisdiction), month)
        for kind, _ in worked
        if look.find(key := f"duty.{kind}.rate") is None
    ]
    if missing:
        raise MissingParameters(missing)

    total, trace = 0, []
    for kind, units in worked:
        rate = look.get(f"duty.{kind}.rate")
        if rate.unit == Unit.VND:
            per_unit, how = rate.value, shown(rate)
        elif rate.unit == Unit.COEFFICIENT:
            base = look.national("base_salary")
            per_unit = round_vnd(Fraction(rate.value) * base.value)
            how = f"hệ số {shown(rate)} × {base.shown} = {vnd(per_unit)} (làm tròn đến đồng)"
        else:
            raise RuleError(f"Tham số «{rate.label}» phải là số đồng hoặc hệ số × lương cơ sở.")
        paid_units = units
        max_units = look.find(f"duty.{kind}.max_units")
        if max_units is not None and units > max_units.value:
            paid_units = max_units.value
            trace.append(
                TraceItem(
                    f"Giới hạn số {kind.unit}: {kind.label}",
                    f"{units} {kind.unit}, chỉ tính tối đa {max_units.value} {kind.unit}/tháng",
                    str(paid_units),
                    max_units.citation,
                )
            )
        amount = paid_units * per_unit
        trace.append(
            TraceItem(kind.label, f"{paid_units} {kind.unit} × {how}", vnd(amount), rate.citation)
        )
        max_amount = look.find(f"duty.{kind}.max_amount")
        if max_amount is not None and amount > max_amount.value:
            amount = max_amount.value
            trace.append(
                TraceItem(
                    f"Mức tối đa mỗi tháng: {kind.label}",
                    f"không quá {shown(max_amount)}",
                    vnd(amount),
                    max_amount.citation,
                )
            )
        total += amount
    overall = look.find("duty.max_amount")
    if overall is not None and total > overall.value:
        trace.append(
            TraceItem(
                "Mức bồi dưỡng tối đa mỗi tháng",
                f"{vnd(total)}, không quá {shown(overall)}",
                vnd(overall.value),
                overall.citation,
            )
        )
        total = overall.value
    trace.append(TraceItem("Tiền bồi dưỡng tháng", "", vnd(total), citation))
    return AmountResult(total, citation, tuple(trace), module, tuple(look.used))
