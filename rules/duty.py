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

A month in which a value starts or ends (Hải Dương's rate from 21/12/2024) is paid in day
segments when the facts say on which days the units were done (`DutyFacts.days`, as the duty
log has them): each unit at the rate in force on its day. The caps stay monthly: a unit is
paid while the month's paid units (or amount) stay within the cap in force on its day, so an
unchanged cap counts the whole month once, never once per segment. Units done before a rate
starts in that month (or after it ends) are not paid, and the trace says so; a month with no
rate at all for a kind that has units is the error above. Every amount is whole units × whole
đồng, so segments need no rounding.
"""

from __future__ import annotations

import calendar
import datetime

from .base import AmountResult, DutyFacts, DutyKind, MissingParameters, RuleError, TraceItem
from .catalogue import parameter_label
from .dates import format_date
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
    on: datetime.date,
    *,
    jurisdiction: str,
    citation: str,
    module: str,
) -> AmountResult:
    """The stipend for the units of `duty`, under the values in force from `on` (the 1st of the
    month, or the day the rule starts when it starts during the month) to the month's end."""
    last = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    runs = _runs(duty, params, jurisdiction, on, last)
    segmented = bool(duty.days) and (len(runs) > 1 or on.day > 1)
    looks = [Lookup(params, jurisdiction, start) for start, _end, _units in runs]

    # A kind with units and no rate on any day of the month is an error naming every such rate
    # (units done before a rate that starts later in the month are shown unpaid instead).
    worked = sorted({k for *_, units in runs for k in units}, key=list(DutyKind).index)
    missing = []
    for kind in worked:
        key = f"duty.{kind}.rate"
        if all(params.find(key, jurisdiction=jurisdiction, on=run[0]) is None for run in runs):
            missing.append((key, parameter_label(key), where(jurisdiction), on))
    if missing:
        raise MissingParameters(missing)

    def look_rate(kind: DutyKind, day: datetime.date):
        return params.find(f"duty.{kind}.rate", jurisdiction=jurisdiction, on=day)

    paid_units: dict[DutyKind, int] = {}
    paid_amount: dict[DutyKind, int] = {}
    total = 0
    trace: list[TraceItem] = []
    for look, (start, end, units) in zip(looks, runs, strict=True):
        if not units:
            continue
        prefix = f"Từ {format_date(start)} đến {format_date(end)} · " if segmented else ""
        part_total = 0
        for kind in sorted(units, key=list(DutyKind).index):
            starts = [r[0] for r in runs if r[0] > start and look_rate(kind, r[0]) is not None]
            part_total += _kind_amount(
                kind, units[kind], look, trace, prefix, paid_units, paid_amount,
                rate_from=starts[0] if starts else None,
            )  # fmt: skip
        overall = look.find("duty.max_amount")
        if overall is not None and total + part_total > overall.number:
            allowed = max(0, int(overall.number) - total)
            trace.append(
                TraceItem(
                    f"{prefix}Mức bồi dưỡng tối đa mỗi tháng",
                    f"{vnd(total + part_total)}, không quá {shown(overall)}",
                    vnd(int(overall.number)),
                    overall.citation,
                )
            )
            part_total = allowed
        total += part_total
    trace.append(TraceItem("Tiền bồi dưỡng tháng", "", vnd(total), citation))
    used = list(dict.fromkeys(value for look in looks for value in look.used))
    return AmountResult(total, citation, tuple(trace), module, tuple(used))


def _runs(
    duty: DutyFacts,
    params: ParameterSource,
    jurisdiction: str,
    on: datetime.date,
    last: datetime.date,
) -> list[tuple[datetime.date, datetime.date, dict[DutyKind, int]]]:
    """The runs of days under one set of values from `on` to `last`, each with the units done
    in it. Undated facts are one run: the values in force on `on`."""
    if not duty.days:
        return [(on, last, {DutyKind(k): n for k, n in duty.units.items() if n})]
    change = getattr(params, "change_days", None)
    cuts = sorted(change(jurisdiction=jurisdiction, first=on, last=last)) if change else []
    starts = [on, *cuts]
    runs = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - datetime.timedelta(days=1) if i + 1 < len(starts) else last
        units: dict[DutyKind, int] = {}
        for day, kind, count in duty.days:
            if start <= day <= end:
                units[kind] = units.get(kind, 0) + count
        runs.append((start, end, units))
    return runs


def _kind_amount(
    kind: DutyKind,
    units: int,
    look: Lookup,
    trace: list[TraceItem],
    prefix: str,
    paid_units: dict[DutyKind, int],
    paid_amount: dict[DutyKind, int],
    rate_from: datetime.date | None = None,
) -> int:
    """One kind's units in one run of days, within the month's caps so far (updated here).
    `rate_from`: the day a rate starts later in the month, when there is none in this run."""
    rate = look.find(f"duty.{kind}.rate")
    if rate is None:
        when = f" (mức áp dụng từ {format_date(rate_from)})" if rate_from else ""
        trace.append(
            TraceItem(
                f"{prefix}{kind.label}",
                f"{units} {kind.unit}: chưa có mức bồi dưỡng trong những ngày này{when}, không chi",
                vnd(0),
                "",
            )
        )
        return 0
    if rate.unit == Unit.VND:
        per_unit, how = int(rate.number), shown(rate)
    elif rate.unit == Unit.COEFFICIENT:
        base = look.national("base_salary")
        per_unit = round_vnd(rate.number * base.number)
        how = f"hệ số {shown(rate)} × {base.shown} = {vnd(per_unit)} (làm tròn đến đồng)"
    else:
        raise RuleError(f"Tham số «{rate.label}» phải là số đồng hoặc hệ số × lương cơ sở.")
    before = paid_units.get(kind, 0)
    paid = units
    max_units = look.find(f"duty.{kind}.max_units")
    if max_units is not None and before + units > max_units.number:
        paid = max(0, int(max_units.number) - before)
        already = f" (đã tính {before} {kind.unit} trước đó trong tháng)" if before else ""
        trace.append(
            TraceItem(
                f"{prefix}Giới hạn số {kind.unit}: {kind.label}",
                f"{units} {kind.unit}, chỉ tính tối đa {max_units.value} {kind.unit}/tháng{already}",
                str(paid),
                max_units.citation,
            )
        )
    paid_units[kind] = before + paid
    amount = paid * per_unit
    trace.append(
        TraceItem(
            f"{prefix}{kind.label}", f"{paid} {kind.unit} × {how}", vnd(amount), rate.citation
        )
    )
    max_amount = look.find(f"duty.{kind}.max_amount")
    so_far = paid_amount.get(kind, 0)
    if max_amount is not None and so_far + amount > max_amount.number:
        amount = max(0, int(max_amount.number) - so_far)
        trace.append(
            TraceItem(
                f"{prefix}Mức tối đa mỗi tháng: {kind.label}",
                f"không quá {shown(max_amount)}"
                + (f", đã chi {vnd(so_far)} trước đó" if so_far else ""),
                vnd(amount),
                max_amount.citation,
            )
        )
    paid_amount[kind] = so_far + amount
    return amount
