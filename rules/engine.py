"""The entry points the apps, the command-line calculator and the web calculator call: look up
the rule module in force, apply it, return the result. Nothing here knows a figure."""

from __future__ import annotations

import dataclasses
import datetime
from fractions import Fraction
from typing import Any

from . import insurance as insurance_rules
from . import partial_month, registry
from .base import (
    AmountResult,
    AreaFacts,
    DutyFacts,
    MemberFacts,
    QuotaResult,
    RuleError,
    TraceItem,
)
from .dates import format_date
from .money import round_vnd
from .parameters import ParameterSource, ParameterValue, format_fraction
from .registry import rule_module
from .support import vnd

ONE_DAY = datetime.timedelta(days=1)


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
    served: tuple[datetime.date, datetime.date] | None = None,
) -> AmountResult:
    """The month's support; with `active_days`, the share for a partial month under the
    jurisdiction's ``partial_month.policy`` (default: pro rata by calendar days).

    `served` gives the first and last day served in the month; `active_days` alone means the
    last N days of the month (a member who joined during it). A month in which a rule module
    or a parameter value starts or ends is computed in day segments (`_segmented`)."""
    month = month.replace(day=1)
    last = month.replace(day=partial_month.days_in(month))
    cuts = _change_days(jurisdiction, params, month, last)
    if served is None and active_days is not None and cuts:
        served = (last - datetime.timedelta(days=active_days - 1), last) if active_days else None
        if not active_days:
            served = (last + ONE_DAY, last)  # no day served
    if cuts:
        return _segmented(jurisdiction, member, month, last, cuts, params, served)
    if served is not None:
        active_days = max(0, (min(served[1], last) - max(served[0], month)).days + 1)
    result = _module(jurisdiction, month, params).monthly_support(member, params, month)
    if active_days is None:
        return result
    rule = partial_month.policy_for(params, jurisdiction, month)
    amount, step = partial_month.prorate(
        result.amount, active_days, partial_month.days_in(month), rule
    )
    return dataclasses.replace(result, amount=amount, trace=(*result.trace, step))


def segment_starts(
    jurisdiction: str, month: datetime.date, params: ParameterSource
) -> tuple[datetime.date, ...]:
    """The first day of each run of days of `month` under one rule module and one set of
    values: (the 1st,) in most months. Two days in the same run are paid alike."""
    month = month.replace(day=1)
    last = month.replace(day=partial_month.days_in(month))
    return (month, *_change_days(jurisdiction, params, month, last))


def _change_days(
    jurisdiction: str, params: ParameterSource, first: datetime.date, last: datetime.date
) -> list[datetime.date]:
    days = registry.change_days(jurisdiction, first, last)
    change = getattr(params, "change_days", None)
    if change is not None:
        days |= change(jurisdiction=jurisdiction, first=first, last=last)
    return sorted(days)


def _segmented(
    jurisdiction: str,
    member: MemberFacts,
    month: datetime.date,
    last: datetime.date,
    cuts: list[datetime.date],
    params: ParameterSource,
    served: tuple[datetime.date, datetime.date] | None,
) -> AmountResult:
    """A month split where a rule or a value changes (issue 12 item 2): each run of days under
    one rule module and one set of values is computed on its first day and paid pro rata by
    calendar days (amount × days served in the run ÷ days of the month); the parts are added
    exactly (Fraction) and the line is rounded once, to the nearest đồng (``round_vnd``).
    Days with no rule in force are not paid. Under the ``full`` policy, or ``full_if_15_days``
    with 15 days served, a partial month is paid as if every day under a rule was served."""
    days = partial_month.days_in(month)
    starts = [month, *cuts]
    bounds = [(a, (starts[i + 1] - ONE_DAY) if i + 1 < len(starts) else last)
              for i, a in enumerate(starts)]  # fmt: skip
    parts: list[tuple[datetime.date, datetime.date, AmountResult | None]] = []
    for a, b in bounds:
        if not _has_rule(jurisdiction, a):
            parts.append((a, b, None))  # e.g. before a resolution takes effect
            continue
        result = _module(jurisdiction, a, params).monthly_support(member, params, a)
        previous = parts[-1] if parts else None
        if (
            previous is not None
            and previous[2] is not None
            and previous[2].amount == result.amount
            and previous[2].parameters == result.parameters
        ):
            parts[-1] = (previous[0], b, previous[2])  # nothing that matters changed
        else:
            parts.append((a, b, result))
    ruled = [(a, b, r) for a, b, r in parts if r is not None]
    if not ruled:
        rule_module(jurisdiction, month)  # raises the registry's message
    first_served, last_served = served or (month, last)

    def overlap(a: datetime.date, b: datetime.date) -> int:
        return max(0, (min(b, last_served) - max(a, first_served)).days + 1)

    policy = partial_month.policy_for(params, jurisdiction, ruled[0][0])
    served_days = sum(overlap(a, b) for a, b, _ in ruled)
    ruled_days = sum((b - a).days + 1 for a, b, _ in ruled)
    full = served_days > 0 and (
        policy.policy == partial_month.Policy.FULL
        or (policy.policy == partial_month.Policy.FULL_IF_15_DAYS and served_days >= 15)
    )
    exact = Fraction(0)
    trace: list[TraceItem] = []
    for a, b, result in parts:
        span = f"Từ {format_date(a)} đến {format_date(b)}"
        if result is None:
            trace.append(TraceItem(span, "chưa có quy định áp dụng: không chi", vnd(0), ""))
            continue
        counted = (b - a).days + 1 if full else overlap(a, b)
        share = Fraction(result.amount) * counted / days
        exact += share
        trace.append(
            TraceItem(
                span,
                f"{vnd(result.amount)} × {counted} ÷ {days} ngày",
                _approx(share),
                result.citation,
            )
        )
        trace.extend(
            TraceItem(f"  {span[3:]} · {item.label}", item.formula, item.value, item.citation)
            for item in result.trace
        )
    amount = round_vnd(exact)
    note = policy.policy.label + (" (cách tính mặc định)" if policy.default else "")
    if full and served_days < ruled_days:
        note += f": {served_days} ngày tham gia, hưởng đủ các ngày có quy định"
    trace.append(
        TraceItem(
            "Cộng các đoạn trong tháng, làm tròn một lần",
            f"tổng chính xác làm tròn đến đồng gần nhất, nửa đồng làm tròn lên ({note})",
            vnd(amount),
            policy.citation,
        )
    )
    seen: dict[tuple, ParameterValue] = {}
    for _, _, result in ruled:
        for value in result.parameters:
            seen.setdefault((value.key, value.jurisdiction, value.effective_from), value)
    citations = list(dict.fromkeys(r.citation for _, _, r in ruled))
    return AmountResult(
        amount=amount,
        citation="; ".join(citations),
        trace=tuple(trace),
        rule_module=ruled[-1][2].rule_module,
        parameters=tuple(seen.values()),
    )


def _approx(share: Fraction) -> str:
    """An exact share as shown in a trace: "1.026.580,65 đ" (≈ when not exact to the cent)."""
    cents = Fraction(round_vnd(share * 100), 100)
    return ("" if cents == share else "≈ ") + format_fraction(cents) + " đ"


def _has_rule(jurisdiction: str, day: datetime.date) -> bool:
    try:
        rule_module(jurisdiction, day)
    except RuleError:
        return False
    return True


def duty_stipend(
    *, jurisdiction: str, duty: DutyFacts, month: datetime.date, params: ParameterSource
) -> AmountResult:
    """The month's duty stipend. In a month where a rule module or a value starts or ends, each
    unit is paid under the rule and values in force on the day it was done (`DutyFacts.days`;
    `rules.duty` for the values and the monthly caps). Days under no rule are not paid.
    Undated units in such a month are computed only when every part of the month gives the same
    result; otherwise the error asks for the days."""
    month = month.replace(day=1)
    last = month.replace(day=partial_month.days_in(month))
    cuts = _change_days(jurisdiction, params, month, last)
    if not cuts:
        return _module(jurisdiction, month, params).duty_stipend(duty, params, month)
    if not duty.days:
        return _undated_duty(jurisdiction, duty, month, cuts, params)
    # Runs of days under one rule module (None: no rule in force), each with its units.
    runs: list[tuple[datetime.date, datetime.date, Any]] = []  # rule module or None
    for a in [month, *cuts]:
        module = _module(jurisdiction, a, params) if _has_rule(jurisdiction, a) else None
        if runs and runs[-1][2] is module:
            continue
        if runs:
            runs[-1] = (runs[-1][0], a - ONE_DAY, runs[-1][2])
        runs.append((a, last, module))
    if all(module is None for *_, module in runs):
        rule_module(jurisdiction, month)  # raises the registry's message
    results: list[AmountResult] = []
    unpaid: list[TraceItem] = []
    for a, b, module in runs:
        part = duty.between(a, b)
        if not part.days:
            continue
        if module is None:
            units = ", ".join(f"{n} {k.unit} «{k.label}»" for k, n in part.units.items())
            span = f"Từ {format_date(a)} đến {format_date(b)}"
            unpaid.append(
                TraceItem(span, f"{units}: chưa có quy định áp dụng, không chi", vnd(0), "")
            )
        else:
            results.append(module.duty_stipend(part, params, a))
    if len(results) == 1 and not unpaid:
        return results[0]
    # Several rules in one month (or days under none): each rule's own caps count the units
    # done under it; the parts are whole đồng and simply added.
    total = sum(r.amount for r in results)
    citation = "; ".join(dict.fromkeys(r.citation for r in results))
    trace = [*unpaid, *(item for r in results for item in r.trace[:-1])]
    trace.append(TraceItem("Tiền bồi dưỡng tháng", "", vnd(total), citation))
    used = dict.fromkeys(v for r in results for v in r.parameters)
    name = results[-1].rule_module if results else next(m for *_, m in runs if m).__name__
    return AmountResult(total, citation, tuple(trace), name, tuple(used))


def _undated_duty(
    jurisdiction: str,
    duty: DutyFacts,
    month: datetime.date,
    cuts: list[datetime.date],
    params: ParameterSource,
) -> AmountResult:
    """Month totals without days, in a month that changes: fine when no change touches them."""
    results: list[AmountResult | RuleError | None] = []
    for a in [month, *cuts]:
        if not _has_rule(jurisdiction, a):
            results.append(None)
            continue
        try:
            results.append(_module(jurisdiction, a, params).duty_stipend(duty, params, a))
        except RuleError as exc:
            results.append(exc)
    first = results[0]
    if isinstance(first, AmountResult) and all(
        isinstance(r, AmountResult) and (r.amount, r.parameters) == (first.amount, first.parameters)
        for r in results
    ):
        return first
    if all(isinstance(r, RuleError) for r in results):
        raise results[0]  # type: ignore[misc]  # the same missing value all month
    raise RuleError(
        f"Trong tháng {month.month:02d}/{month.year} quy định hoặc mức bồi dưỡng thay đổi (từ ngày "
        + ", ".join(format_date(c) for c in cuts)
        + "): cần ghi ngày làm nhiệm vụ để tính mỗi ngày theo mức của ngày đó."
    )


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


def insurance_month(
    *,
    jurisdiction: str,
    scheme: str,
    month: datetime.date,
    params: ParameterSource,
    groups=frozenset(),
    income: int | None = None,
    months_supported: int = 0,
    member: MemberFacts | None = None,
    household_position: int | None = None,
) -> insurance_rules.InsuranceResult:
    """One month of VSI or HI support, in day segments when a value changes during the month
    (HI state support from 15/08/2025 gives August 17 days of it): each amount is the exact sum
    of the segments' monthly amounts × days ÷ days of the month, rounded once to the nearest
    đồng (``round_vnd``); what the member pays is the rest. Without a change it is `insurance`
    on the 1st, unchanged."""
    month = month.replace(day=1)
    last = month.replace(day=partial_month.days_in(month))
    kwargs = dict(
        jurisdiction=jurisdiction, scheme=scheme, params=params, groups=groups, income=income,
        months_supported=months_supported, member=member, household_position=household_position,
    )  # fmt: skip
    cuts = _change_days(jurisdiction, params, month, last)
    if not cuts:
        return insurance(on=month, **kwargs)
    days = partial_month.days_in(month)
    starts = [month, *cuts]
    parts: list[tuple[datetime.date, datetime.date, insurance_rules.InsuranceResult]] = []
    for i, a in enumerate(starts):
        b = (starts[i + 1] - ONE_DAY) if i + 1 < len(starts) else last
        result = insurance(on=a, **kwargs)
        if parts and _same_insurance(parts[-1][2], result):
            parts[-1] = (parts[-1][0], b, parts[-1][2])
        else:
            parts.append((a, b, result))
    if len(parts) == 1:
        return parts[0][2]
    fields = ("contribution", "state_support", "province_support")
    exact = {f: Fraction(0) for f in fields}
    trace: list[TraceItem] = []
    for a, b, result in parts:
        length = (b - a).days + 1
        span = f"Từ {format_date(a)} đến {format_date(b)}"
        for f in fields:
            exact[f] += Fraction(getattr(result, f)) * length / days
        trace.append(
            TraceItem(
                span,
                f"{length} ÷ {days} ngày của các mức tháng dưới đây",
                _approx(Fraction(result.state_support + result.province_support) * length / days),
                "",
            )
        )
        trace.extend(
            TraceItem(f"  {span[3:]} · {item.label}", item.formula, item.value, item.citation)
            for item in result.trace
        )
    amounts = {f: round_vnd(exact[f]) for f in fields}
    member_pays = max(
        0, amounts["contribution"] - amounts["state_support"] - amounts["province_support"]
    )
    trace.append(
        TraceItem(
            "Cộng các đoạn trong tháng, làm tròn một lần; người tham gia tự đóng",
            f"mức đóng {vnd(amounts['contribution'])}, Nhà nước hỗ trợ "
            f"{vnd(amounts['state_support'])}, tỉnh hỗ trợ {vnd(amounts['province_support'])}: "
            "tổng chính xác của từng khoản làm tròn đến đồng gần nhất, nửa đồng làm tròn lên",
            vnd(member_pays),
            "",
        )
    )
    seen: dict[tuple, ParameterValue] = {}
    for _, _, result in parts:
        for value in result.parameters:
            seen.setdefault((value.key, value.jurisdiction, value.effective_from), value)
    return dataclasses.replace(
        parts[-1][2],
        member_pays=member_pays,
        trace=tuple(trace),
        parameters=tuple(seen.values()),
        contribution=amounts["contribution"],
        state_support=amounts["state_support"],
        province_support=amounts["province_support"],
    )


def _same_insurance(one, other) -> bool:
    return (one.contribution, one.state_support, one.province_support, one.parameters) == (
        other.contribution, other.state_support, other.province_support, other.parameters,
    )  # fmt: skip
