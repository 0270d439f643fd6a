"""Reads of the mediation app: team rows with their flags, the case book, the indicators of any
unit and period, the statistics, the yearly report's contents. Every read is a fixed number of
queries whatever the number of teams or cases (aggregates in the database), so a province of
20,000 cases is measured in bench/bench_mediation.py.

Success rate = thành ÷ (thành + không thành) of the cases that ENDED in the period. Open cases
(đang giải quyết) are counted and shown but not in the rate, either way; out-of-scope matters
(Law Art. 3) are counted in neither.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import DateWindow
from rules import mediation as rules
from rules.snapshots import unverified_in
from teams.models import (
    AdministrativeUnit,
    Level,
    Membership,
    Sex,
    Tree,
    UnitSuccession,
    User,
)

from .models import (
    BudgetLine,
    CaseType,
    Consolidation,
    LeaderElection,
    MediationCase,
    MediationPlan,
    MediationTeam,
    Mediator,
    Origin,
    Outcome,
    PaymentLine,
    PayState,
    YearlyReport,
)

TWO_TIER_FROM = datetime.date(2025, 7, 1)  # districts abolished (domain.md §6)


def today() -> datetime.date:
    return timezone.localdate()


# --- Periods (Circular 03/2019/TT-BTP Art. 6; settings.MEDIATION_PERIODS) ------------------------

DEFAULT_PERIODS = {
    # kind: (label, (start month, day), (end month, day), (data until month, day) or None)
    "6thang": ("6 tháng đầu năm", (1, 1), (6, 30), (5, 31)),
    "nam": ("Năm", (1, 1), (12, 31), None),
}


@dataclass(frozen=True)
class StatPeriod:
    kind: str
    year: int
    label: str
    window: DateWindow  # the reporting period
    data_window: DateWindow  # the days whose data it counts (to 31/05 for the 6 months)


def stat_period(kind: str, year: int) -> StatPeriod:
    periods = getattr(settings, "MEDIATION_PERIODS", DEFAULT_PERIODS)
    if kind not in periods:
        raise KeyError(kind)
    label, start, end, data_to = periods[kind]
    window = DateWindow(datetime.date(year, *start), datetime.date(year, *end))
    data_end = datetime.date(year, *data_to) if data_to else window.end
    return StatPeriod(kind, year, f"{label} {year}", window, DateWindow(window.start, data_end))


# --- Teams and mediators --------------------------------------------------------------------


def in_unit(unit: AdministrativeUnit, prefix: str = "") -> Q:
    return Q(**{f"{prefix}commune__path__startswith": unit.path})


def mediators_on(*, team: MediationTeam, day: datetime.date) -> QuerySet[Mediator]:
    """Mediators in office on `day`: recognised (or listed) by then and not ended."""
    return team.mediators.filter(
        Q(decision_date__lte=day)
        | Q(decision_date__isnull=True, list_received_on__lte=day)
        | Q(decision_date__isnull=True, list_received_on__isnull=True),
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
    )


def teams_active(unit: AdministrativeUnit, window: DateWindow) -> QuerySet[MediationTeam]:
    return MediationTeam.objects.filter(in_unit(unit), decision_date__lte=window.end).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=window.start)
    )


def _active_on(day: datetime.date, prefix: str = "mediators__") -> Q:
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})


def annotated_teams(teams: QuerySet[MediationTeam], day: datetime.date, year: int):
    """Teams with their counts on `day` and the year's consolidation, in one query."""
    active = _active_on(day)
    leader = LeaderElection.objects.filter(team=OuterRef("pk"), held_on__lte=day).order_by(
        "-held_on", "-pk"
    )
    return teams.annotate(
        n_mediators=Count("mediators", filter=active, distinct=True),
        n_women=Count("mediators", filter=active & Q(mediators__person__sex=Sex.NU), distinct=True),
        n_minority=Count(
            "mediators",
            filter=active & ~Q(mediators__person__ethnicity="Kinh"),
            distinct=True,
        ),
        leader_secretary=Subquery(leader.values("is_party_secretary")[:1]),
        leader_id=Subquery(leader.values("mediator_id")[:1]),
        # A leader who has since ended their service leads no more (until the next election).
        leader_ended_on=Subquery(leader.values("mediator__ended_on")[:1]),
        consolidated=Exists(
            Consolidation.objects.filter(
                team=OuterRef("pk"), year=year, decision_date__isnull=False
            )
        ),
    )


@dataclass
class TeamRow:
    team: MediationTeam
    mediators: int
    women: int
    leader_name: str
    leader_secretary: bool | None
    consolidated: bool
    problems: list[str]
    cases: int = 0


def team_rows(*, commune: AdministrativeUnit, year: int, day: datetime.date | None = None):
    day = day or today()
    teams = (
        annotated_teams(
            MediationTeam.objects.filter(commune=commune).select_related("area"), day, year
        )
        .annotate(n_cases=Count("cases", distinct=True))
        .order_by("name")
    )
    teams = list(teams)
    leaders = {
        m.pk: m.person.full_name
        for m in Mediator.objects.filter(
            pk__in=[t.leader_id for t in teams if t.leader_id]
        ).select_related("person")
    }
    rows = []
    for t in teams:
        problems = rules.composition_problems(
            mediators=t.n_mediators,
            women=t.n_women,
            minority_area=t.minority_area,
            minority_mediators=t.n_minority,
        )
        leads = leader_in_office(t.leader_ended_on, day)
        if t.leader_id and not leads:
            problems.append(
                _("Tổ trưởng %(name)s đã thôi làm hòa giải viên từ %(day)s: cần bầu Tổ trưởng mới.")
                % {"name": leaders.get(t.leader_id, ""), "day": f"{t.leader_ended_on:%d/%m/%Y}"}
            )
        rows.append(
            TeamRow(
                team=t,
                mediators=t.n_mediators,
                women=t.n_women,
                leader_name=leaders.get(t.leader_id, "") if leads else "",
                leader_secretary=t.leader_secretary if leads else None,
                consolidated=t.consolidated,
                problems=problems,
                cases=t.n_cases,
            )
        )
    return rows


def leader_in_office(leader_ended_on: datetime.date | None, day: datetime.date) -> bool:
    return leader_ended_on is None or leader_ended_on > day


def team_mediators(*, team: MediationTeam) -> list[Mediator]:
    """The team's mediators (current first), each with `antt` (their active ANTT membership,
    if any) and `late` (recognised after the 5th working day)."""
    mediators = list(
        team.mediators.select_related("person").order_by("ended_on", "person__search_name")
    )
    antt = {
        m.person_id: m
        for m in Membership.objects.filter(
            person_id__in=[m.person_id for m in mediators], end_date__isnull=True
        ).select_related("team")
    }
    day = today()
    for m in mediators:
        m.antt = antt.get(m.person_id)  # type: ignore[attr-defined]
        m.late = rules.decision_late(m.list_received_on, m.decision_date, day)  # type: ignore[attr-defined]
        m.deadline = (  # type: ignore[attr-defined]
            rules.decision_deadline(m.list_received_on) if m.list_received_on else None
        )
    return mediators


def team_elections(*, team: MediationTeam) -> list[LeaderElection]:
    return list(team.elections.select_related("mediator__person"))


def person_mediator_roles(*, person) -> list[Mediator]:
    return list(person.mediator_roles.select_related("team__commune"))


# --- The case book ------------------------------------------------------------------------------


def cases_of(*, team: MediationTeam | None = None, commune: AdministrativeUnit | None = None):
    qs = MediationCase.objects.select_related("team").prefetch_related(
        "assignments__mediator__person"
    )
    if team is not None:
        qs = qs.filter(team=team)
    if commune is not None:
        qs = qs.filter(team__commune=commune)
    return qs.order_by("team__name", "number")


def case_flags(case: MediationCase, day: datetime.date | None = None) -> dict:
    day = day or today()
    return {
        "start_late": rules.start_late(case.assigned_on, case.started_on, day)
        if case.is_open or case.started_on
        else False,
    }


# --- Indicators -----------------------------------------------------------------------------


@dataclass
class Indicator:
    key: str
    label: str
    numerator: int
    denominator: int
    value: Fraction | None
    target: Decimal | None = None
    strict: bool = False
    met: bool | None = None
    note: str = ""

    @property
    def percent(self) -> str:
        if self.value is None:
            return "—"
        return f"{float(self.value * 100):.1f}".replace(".", ",") + " %"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        number = f"{Decimal(self.target).normalize():f}".replace(".", ",")
        return f"trên {number} %" if self.strict else f"từ {number} % trở lên"


@dataclass
class Indicators:
    unit: AdministrativeUnit
    window: DateWindow
    teams: int
    consolidated: Indicator
    success: Indicator
    secretary: Indicator
    below_composition: int
    received: int
    success_cases: int
    failure_cases: int
    open_cases: int
    out_of_scope: int
    plan: MediationPlan | None

    @property
    def rows(self) -> list[Indicator]:
        return [self.consolidated, self.success, self.secretary]


CASE_COUNT_KEYS = ("received", "success", "failure", "open", "out_of_scope")
TEAM_COUNT_KEYS = ("teams", "consolidated", "secretary", "below", "mediators", "women")


def _case_aggregates(window: DateWindow) -> dict:
    """The aggregates of the cases of a period: received in it; ended in it (thành / không
    thành); open at its end (received by then, not ended by then); out of scope."""
    ended_in = Q(closed_on__gte=window.start, closed_on__lte=window.end, out_of_scope=False)
    return {
        "received": Count(
            "pk",
            filter=Q(
                received_on__gte=window.start, received_on__lte=window.end, out_of_scope=False
            ),
        ),
        "success": Count("pk", filter=ended_in & Q(outcome=Outcome.SUCCESS)),
        "failure": Count("pk", filter=ended_in & Q(outcome=Outcome.FAILURE)),
        "open": Count(
            "pk",
            filter=Q(received_on__lte=window.end, out_of_scope=False)
            & (Q(outcome=Outcome.OPEN) | Q(closed_on__gt=window.end)),
        ),
        "out_of_scope": Count(
            "pk",
            filter=Q(received_on__gte=window.start, received_on__lte=window.end, out_of_scope=True),
        ),
    }


def case_counts(unit: AdministrativeUnit, window: DateWindow) -> dict[str, int]:
    """Counts of the cases of the period under `unit`, in one query."""
    return MediationCase.objects.filter(in_unit(unit, "team__")).aggregate(
        **_case_aggregates(window)
    )


def _team_rows(unit: AdministrativeUnit, window: DateWindow, year: int):
    """(commune path, mediators, women, leader in office is the Party-cell secretary,
    consolidated, minority area, minority mediators) of every team active in the window under
    `unit`, in one query."""
    teams = annotated_teams(teams_active(unit, window), window.end, year)
    return [
        (path, n, women, bool(secretary) and leader_in_office(ended, window.end), *rest)
        for path, n, women, secretary, ended, *rest in teams.values_list(
            "commune__path",
            "n_mediators",
            "n_women",
            "leader_secretary",
            "leader_ended_on",
            "consolidated",
            "minority_area",
            "n_minority",
        )
    ]


def _add_team(totals: dict[str, int], row) -> None:
    _path, n, women, secretary, consolidated, minority, n_minority = row
    totals["teams"] += 1
    totals["consolidated"] += bool(consolidated)
    totals["secretary"] += bool(secretary)
    totals["below"] += bool(
        rules.composition_problems(
            mediators=n, women=women, minority_area=minority, minority_mediators=n_minority
        )
    )
    totals["mediators"] += n
    totals["women"] += women


def team_counts(unit: AdministrativeUnit, window: DateWindow, year: int) -> dict[str, int]:
    totals = dict.fromkeys(TEAM_COUNT_KEYS, 0)
    for row in _team_rows(unit, window, year):
        _add_team(totals, row)
    return totals


def plans_for(units: list[AdministrativeUnit], year: int) -> dict[int, MediationPlan | None]:
    """The plan covering each unit in `year` (by unit pk), in two queries whatever the number
    of units. For one unit, in this order: a plan of the unit itself or of the nearest
    ancestor; else one of a predecessor of the unit or of an ancestor (a dissolved district's
    plan carries on in its communes); else one made for a unit below it (a province page
    shows the targets of the plan under it). Among equals, the last signed."""
    if not units:
        return {}
    own_paths = {p for u in units for p in (*u.ancestor_paths, u.path)}
    predecessors: dict[str, set[int]] = {}
    for successor_path, predecessor_id in UnitSuccession.objects.filter(
        successor__path__in=own_paths
    ).values_list("successor__path", "predecessor_id"):
        predecessors.setdefault(successor_path, set()).add(predecessor_id)
    below = Q()
    for u in units:
        below |= Q(unit__path__startswith=u.path)
    plans = list(
        MediationPlan.objects.filter(first_year__lte=year, last_year__gte=year)
        .filter(
            Q(unit__path__in=own_paths)
            | Q(unit_id__in={pk for ids in predecessors.values() for pk in ids})
            | below
        )
        .select_related("unit")
        .order_by("-signed_on", "-pk")
    )
    chosen: dict[int, MediationPlan | None] = {}
    for u in units:
        paths = [*u.ancestor_paths, u.path]
        own = [p for p in plans if p.unit.path in paths]
        pred_ids = {pk for path in paths for pk in predecessors.get(path, ())}
        inherited = [p for p in plans if p.unit_id in pred_ids]
        under = [p for p in plans if p.unit.path.startswith(u.path)]
        if own:  # the nearest unit first (the longest path), then the last signed
            chosen[u.pk] = max(own, key=lambda p: len(p.unit.path))
        elif inherited:
            chosen[u.pk] = inherited[0]
        elif under:  # the highest unit below first
            chosen[u.pk] = min(under, key=lambda p: (len(p.unit.path), p.unit.path))
        else:
            chosen[u.pk] = None
    return chosen


def plan_for(unit: AdministrativeUnit, year: int) -> MediationPlan | None:
    return plans_for([unit], year)[unit.pk]


def _indicators_from(
    *,
    unit: AdministrativeUnit,
    window: DateWindow,
    plan: MediationPlan | None,
    cases: dict[str, int],
    teams: dict[str, int],
) -> Indicators:
    consolidated = Indicator(
        "consolidated",
        "Tổ hòa giải được củng cố, kiện toàn trong năm",
        teams["consolidated"],
        teams["teams"],
        rules.ratio(teams["consolidated"], teams["teams"]),
    )
    success = Indicator(
        "success",
        "Tỷ lệ hòa giải thành",
        cases["success"],
        cases["success"] + cases["failure"],
        rules.success_rate(cases["success"], cases["failure"]),
        note="thành ÷ (thành + không thành); vụ việc đang giải quyết không tính",
    )
    secretary = Indicator(
        "secretary",
        "Tổ trưởng là Bí thư chi bộ ấp, khu",
        teams["secretary"],
        teams["teams"],
        rules.ratio(teams["secretary"], teams["teams"]),
    )
    if plan is not None:
        for ind, target, strict in (
            (consolidated, plan.consolidated_target, plan.consolidated_strict),
            (success, plan.success_target, plan.success_strict),
            (secretary, plan.secretary_target, False),
        ):
            ind.target, ind.strict = target, strict
            ind.met = rules.meets(ind.value, Fraction(str(target)), strict=strict)
    return Indicators(
        unit=unit,
        window=window,
        teams=teams["teams"],
        consolidated=consolidated,
        success=success,
        secretary=secretary,
        below_composition=teams["below"],
        received=cases["received"],
        success_cases=cases["success"],
        failure_cases=cases["failure"],
        open_cases=cases["open"],
        out_of_scope=cases["out_of_scope"],
        plan=plan,
    )


def indicators(
    *,
    unit: AdministrativeUnit,
    window: DateWindow,
    year: int | None = None,
    plan: MediationPlan | None = None,
) -> Indicators:
    year = year or window.end.year
    return _indicators_from(
        unit=unit,
        window=window,
        plan=plan or plan_for(unit, year),
        cases=case_counts(unit, window),
        teams=team_counts(unit, window, year),
    )


def children_indicators(
    *, unit: AdministrativeUnit, children: list[AdministrativeUnit], window: DateWindow, year: int
) -> dict[int, Indicators]:
    """The indicators of each unit directly below `unit` (by pk), in a fixed number of queries
    whatever the number of children: the cases and the teams are counted per commune in one
    grouped query each, then added up into the child whose subtree holds the commune (a
    province of the old tree has districts as children)."""
    if not children:
        return {}
    child_by_path = {c.path: c for c in children}
    depth = len(unit.path)

    def child_of(commune_path: str) -> AdministrativeUnit | None:
        segment = commune_path[depth:].split("/", 1)[0]
        return child_by_path.get(f"{unit.path}{segment}/")

    cases = {c.pk: dict.fromkeys(CASE_COUNT_KEYS, 0) for c in children}
    per_commune = (
        MediationCase.objects.filter(in_unit(unit, "team__"))
        .values("team__commune__path")
        .annotate(**_case_aggregates(window))
        .order_by()
    )
    for row in per_commune:
        counts: dict = dict(row)  # a plain dict: the keys are the aggregates' names
        child = child_of(counts["team__commune__path"])
        if child is not None:
            for key in CASE_COUNT_KEYS:
                cases[child.pk][key] += counts[key]
    teams = {c.pk: dict.fromkeys(TEAM_COUNT_KEYS, 0) for c in children}
    for row in _team_rows(unit, window, year):
        child = child_of(row[0])
        if child is not None:
            _add_team(teams[child.pk], row)
    plans = plans_for(children, year)
    return {
        c.pk: _indicators_from(
            unit=c, window=window, plan=plans[c.pk], cases=cases[c.pk], teams=teams[c.pk]
        )
        for c in children
    }


def year_window(year: int) -> DateWindow:
    return DateWindow(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


# --- Statistics (Circular 03/2019/TT-BTP) ---------------------------------------------------------


def statistics(*, unit: AdministrativeUnit, period: StatPeriod) -> dict:
    """The period's figures: teams and mediators, cases by type and by how they arose, by
    result, and above a commune the same indicators for each unit below (a fixed number of
    queries); over the data window (to 31/05 for the 6-month report)."""
    window = period.data_window
    by_type = dict.fromkeys(CaseType.values)
    rows = (
        MediationCase.objects.filter(
            in_unit(unit, "team__"), out_of_scope=False, received_on__lte=window.end
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=window.start))
        .values("case_type")
        .annotate(
            received=Count("pk", filter=Q(received_on__gte=window.start)),
            success=Count("pk", filter=Q(outcome=Outcome.SUCCESS, closed_on__lte=window.end)),
            failure=Count("pk", filter=Q(outcome=Outcome.FAILURE, closed_on__lte=window.end)),
            open=Count("pk", filter=Q(outcome=Outcome.OPEN) | Q(closed_on__gt=window.end)),
        )
    )
    for row in rows:
        by_type[row["case_type"]] = row
    types = [
        {
            "label": CaseType(k).label,
            **(v or {"received": 0, "success": 0, "failure": 0, "open": 0}),
        }
        for k, v in by_type.items()
    ]
    origins = dict(
        MediationCase.objects.filter(
            in_unit(unit, "team__"),
            out_of_scope=False,
            received_on__gte=window.start,
            received_on__lte=window.end,
        )
        .values_list("origin")
        .annotate(n=Count("pk"))
    )
    children = list(unit.children.order_by("name")) if unit.level != Level.COMMUNE else []
    by_child = children_indicators(unit=unit, children=children, window=window, year=period.year)
    teams = team_counts(unit, window, period.year)
    return {
        "period": period,
        "indicators": _indicators_from(
            unit=unit,
            window=window,
            plan=plan_for(unit, period.year),
            cases=case_counts(unit, window),
            teams=teams,
        ),
        "children": [{"unit": c, "indicators": by_child[c.pk]} for c in children],
        "types": types,
        "origins": [{"label": Origin(k).label, "n": origins.get(k, 0)} for k in Origin.values],
        "teams": teams,
    }


# --- The yearly report -------------------------------------------------------------------------


def recipient(unit: AdministrativeUnit, on: datetime.date) -> str:
    """Who receives the unit's yearly mediation report, read from the tree: the district's
    Phòng Tư pháp before 1 July 2025; since then (no districts) the province's Department of
    Justice (Sở Tư pháp)."""
    ancestors = list(AdministrativeUnit.objects.filter(path__in=unit.ancestor_paths))
    district = next((a for a in ancestors if a.level == Level.DISTRICT), None)
    if district is not None and (on < TWO_TIER_FROM or unit.tree == Tree.LEGACY):
        return f"Phòng Tư pháp {district.name}"
    province = next((a for a in ancestors if a.level == Level.PROVINCE), None)
    if unit.level == Level.PROVINCE:
        return f"Bộ Tư pháp (Sở Tư pháp {unit.name} tổng hợp)"
    return f"Sở Tư pháp {province.name}" if province else "Cơ quan tư pháp cấp trên"


def budget(plan: MediationPlan | None, unit: AdministrativeUnit, year: int, spent: dict) -> list:
    """Planned vs spent per budget line of the plan. A remuneration line's spent amount is the
    approved or paid remuneration of the year's lists under the unit; others are what the
    report says was spent."""
    if plan is None:
        return []
    lines = BudgetLine.objects.filter(plan=plan).filter(Q(year__isnull=True) | Q(year=year))
    paid = (
        PaymentLine.objects.filter(
            payment_list__commune__path__startswith=unit.path,
            payment_list__quarter__year=year,
            payment_list__state__in=[PayState.APPROVED, PayState.PAID],
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    rows = []
    for line in lines:
        done = paid if line.remuneration else spent.get(str(line.pk))
        rows.append(
            {
                "pk": line.pk,
                "label": line.label,
                "planned": line.amount,
                "spent": done,
                "remuneration": line.remuneration,
            }
        )
    return rows


def children_rows(*, unit: AdministrativeUnit, year: int) -> list[dict]:
    """Consolidation up the tree: each unit directly below, with its indicators and the state
    of its yearly report (on time / late). A fixed number of queries (children_indicators)."""
    window = year_window(year)
    children = list(unit.children.order_by("name"))
    reports = {r.unit_id: r for r in YearlyReport.objects.filter(unit__in=children, year=year)}
    by_child = children_indicators(unit=unit, children=children, window=window, year=year)
    return [
        {"unit": child, "indicators": by_child[child.pk], "report": reports.get(child.pk)}
        for child in children
    ]


def report_contents(*, unit: AdministrativeUnit, year: int, report: YearlyReport | None = None):
    plan = plan_for(unit, year)
    day = report.sent_on if report and report.sent_on else today()
    return {
        "unit": unit,
        "year": year,
        "plan": plan,
        "indicators": indicators(unit=unit, window=year_window(year), year=year, plan=plan),
        "budget": budget(plan, unit, year, report.spent if report else {}),
        "due_on": plan.due_date(year) if plan else datetime.date(year, 11, 14),
        "recipient": recipient(unit, day),
    }


def contents_json(contents: dict) -> dict:
    """The frozen form stored in the report when it is sent (the PDF of a sent report reads
    this, not today's data)."""
    ind = contents["indicators"]
    plan = contents["plan"]
    return {
        "plan": str(plan) if plan else "",
        "indicators": [
            {
                "label": i.label,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "percent": i.percent,
                "target": i.target_text,
                "met": i.met,
                "note": i.note,
            }
            for i in ind.rows
        ],
        "teams": ind.teams,
        "below_composition": ind.below_composition,
        "received": ind.received,
        "success": ind.success_cases,
        "failure": ind.failure_cases,
        "open": ind.open_cases,
        "out_of_scope": ind.out_of_scope,
        "budget": [{k: v for k, v in row.items() if k != "pk"} for row in contents["budget"]],
    }


def reports_for(*, user: User, unit: AdministrativeUnit) -> QuerySet[YearlyReport]:
    return YearlyReport.objects.filter(unit__path__startswith=unit.path).select_related("unit")


# --- Remuneration lists -------------------------------------------------------------------------


def payment_lists(lists):
    """The lists with their totals and counts (one query)."""
    return lists.annotate(
        total=Sum("lines__amount"),
        cases=Count("lines"),
        errors=Count("lines", filter=~Q(lines__error="")),
    )


def payment_sheet(*, payment_list) -> dict:
    """The list's lines grouped by team, with totals and the citations used."""
    lines = list(payment_list.lines.all())
    teams: dict[str, dict] = {}
    citations: list[str] = []
    for line in lines:
        team = teams.setdefault(line.team_name, {"name": line.team_name, "lines": [], "total": 0})
        team["lines"].append(line)
        team["total"] += line.amount
        for item in line.trace:
            if item.get("citation") and item["citation"] not in citations:
                citations.append(item["citation"])
    # Each line computed with a value not from the legal text is marked (*), and the values
    # are listed under the table, as on the allowance and insurance lists.
    for line in lines:
        line.unverified = bool(unverified_in([line.parameters]))
    values = unverified_in(line.parameters for line in lines)
    return {
        "lines": lines,
        "teams": list(teams.values()),
        "total": sum(line.amount for line in lines),
        "errors": [line for line in lines if line.error],
        "citations": citations,
        "unverified": bool(values),
        "unverified_values": [str(v) for v in values],
    }
