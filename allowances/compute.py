"""Computing a month's allowance lines from plain facts (no database here).

The service (`allowances.services`) reads every membership active in the month and every duty
entry in one or two queries, turns them into `MemberMonth` facts, and hands them to
`compute_lines`. Each distinct combination of facts is computed once through the rule engine
and reused: in a commune, and even nationally, most members share a role, a rule set and a full
month, so a run of 276,000 members calls the engine a few thousand times, not 276,000.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from core.periods import DateWindow, Month
from rules import engine
from rules.base import AmountResult, DutyFacts, DutyKind, MemberFacts, RuleError
from rules.parameters import ParameterSource


class LineKind:
    MONTHLY = "monthly"
    DUTY = "duty"
    ARREARS = "arrears"


class MemberMonth(NamedTuple):
    """One membership in one month: the `MemberFacts` the rules are given (the very type the
    calculators build, so a fact the roster records reaches the rule unchanged), the dates of
    the membership and the month's duty units by day: (day, kind, units), sorted. A named
    tuple, not a dataclass: a national run builds 276,000 of them."""

    membership_id: int
    jurisdiction: str
    facts: MemberFacts
    start: datetime.date
    end: datetime.date | None
    duty: tuple[tuple[datetime.date, DutyKind, int], ...] = ()


class Line(NamedTuple):
    """One computed line (a named tuple: one per member and kind, read only)."""

    membership_id: int
    kind: str
    amount: int
    result: AmountResult | None = None
    active_days: int | None = None
    days_in_month: int | None = None
    error: str = ""


@dataclass
class Computation:
    lines: list[Line] = field(default_factory=list)
    engine_calls: int = 0
    # The distinct results the lines share, in the order the lines first use them (the run
    # serialises each once for its snapshot, not once per line).
    results: list[AmountResult] = field(default_factory=list)

    @property
    def errors(self) -> list[Line]:
        return [line for line in self.lines if line.error]


def active_days(start: datetime.date, end: datetime.date | None, month: datetime.date) -> int:
    """Days of `month` within [start, end] (end inclusive; None = still serving)."""
    if end is not None and end < start:
        return 0
    served = DateWindow.open_ended(start, end).intersection(Month.of(month).window)
    return served.days if served else 0


def compute_lines(
    members: list[MemberMonth], *, month: datetime.date, params: ParameterSource
) -> Computation:
    """Monthly support and duty stipend lines for the members active in `month`.

    A member whose rule cannot be applied (a missing parameter, say) gets a line with the
    Vietnamese error and no amount, so the officer sees every problem of the run at once.
    """
    month = month.replace(day=1)
    days = Month.of(month).days
    last = Month.of(month).last_day
    out = Computation()
    memo: dict[tuple, AmountResult | RuleError] = {}
    segment_starts: dict[str, tuple[datetime.date, ...]] = {}
    # Equal facts are one case: each distinct MemberFacts is hashed once (by equality, in
    # `cases`), then found by the object's identity (the service hands identical facts as one
    # shared object, so most members cost a dictionary lookup by id, not a dataclass hash).
    cases: dict[MemberFacts, int] = {}
    case_of: dict[int, int] = {}
    alive: list[MemberFacts] = []  # the ids in `case_of` stay unique while this runs
    lines = out.lines
    append = lines.append
    new = tuple.__new__
    results = out.results

    def computed(key: tuple, compute) -> AmountResult | RuleError:
        out.engine_calls += 1
        try:
            result = memo[key] = compute()
            results.append(result)
        except RuleError as exc:
            result = memo[key] = exc
        return result

    # Unpacked, not read by attribute (a named tuple's fields are descriptors): once per member.
    for m in members:
        membership_id, jurisdiction, facts, start, end, duty = m
        if start <= month and (end is None or end >= last):
            served = days  # the whole month: most members
        else:
            # active_days(start, end, month), inline: it runs once per member.
            served = (min(end or last, last) - max(start, month)).days + 1
            if served <= 0 or (end is not None and end < start):
                continue
        case = case_of.get(id(facts))
        if case is None:
            case = case_of[id(facts)] = cases.setdefault(facts, len(cases))
            alive.append(facts)
        # The facts are the key: members with equal facts share one engine call. A partial
        # month also needs which days were served: a month can have day segments (a rule or a
        # value starting mid-month), each paid for the days served in it.
        partial: int | None = None
        window: tuple[datetime.date, datetime.date] | None = None
        if served < days:
            partial = served
            window = (max(start, month), min(end or last, last))
        key: tuple = (jurisdiction, case, window)
        result = memo.get(key)
        if result is None:
            result = computed(
                key,
                lambda m=m, partial=partial, window=window: engine.monthly_support(
                    jurisdiction=m.jurisdiction, member=m.facts, month=month, params=params,
                    active_days=partial, served=window,
                ),
            )  # fmt: skip
        if type(result) is AmountResult:
            # tuple.__new__: a Line without the named tuple's Python-level constructor call.
            append(new(Line, (membership_id, MONTHLY, result.amount, result, served, days, "")))
        else:
            append(_line(membership_id, MONTHLY, result, served, days))
        if duty:
            # Duty units are paid under the values in force on their day. Days of one run of
            # the month (one rule, one set of values) are paid alike, so each day is keyed by
            # the first day of its run: members with the same units per run share a call.
            starts = segment_starts.get(jurisdiction)
            if starts is None:
                starts = segment_starts[jurisdiction] = engine.segment_starts(
                    jurisdiction, month, params
                )
            by_run: dict[tuple[datetime.date, DutyKind], int] = {}
            for day, kind, units in duty:
                run = max(start for start in starts if start <= day)
                by_run[(run, kind)] = by_run.get((run, kind), 0) + units
            dated = tuple(sorted((run, kind, units) for (run, kind), units in by_run.items()))
            key = ("duty", jurisdiction, dated)
            result = memo.get(key)
            if result is None:
                result = computed(
                    key,
                    lambda m=m, dated=dated: engine.duty_stipend(
                        jurisdiction=m.jurisdiction, duty=DutyFacts.from_days(dated),
                        month=month, params=params,
                    ),
                )  # fmt: skip
            append(_line(membership_id, DUTY, result))
    return out


MONTHLY, DUTY = LineKind.MONTHLY, LineKind.DUTY


def _line(membership_id, kind, result, served=None, days=None) -> Line:
    if isinstance(result, RuleError):
        return Line(membership_id, kind, 0, None, served, days, error=str(result))
    return Line(membership_id, kind, result.amount, result, served, days)
