"""Writes for allowances: computing runs (with arrears), moving them through approval, the duty
log, and trying out / saving a new dated parameter.

Computing a run is set-based: one query for the memberships active in the month, one for the
duty units, the rule engine once per distinct case (`allowances.compute`), and one bulk insert.
Arrears: every compute also recomputes each approved month of the commune with today's data
and parameters and compares it with what those months paid (their lines plus earlier arrears);
each difference becomes an arrears line in the run being computed, traced to the parameter
values that changed. Approved lines themselves are never touched.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, JSONField, Max, OuterRef, Q, Sum, TextField, Window
from django.db.models.functions import Cast, Lag, Lead, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.bulk import gc_paused
from core.formatting import format_date, format_vnd
from core.periods import Month, check_period_of_unit
from core.setsql import IdIn, insert_rows, stream_rows
from core.workflow import Transition, Workflow
from rules.base import AmountResult, DutyKind, MemberFacts, roster_facts
from rules.catalogue import parameter_label
from rules.models import Parameter, RuleSnapshot, database_parameters
from rules.parameters import ParameterTable, ParameterValue, value_text
from rules.snapshots import SnapshotStore
from teams.access import Perm, can
from teams.models import AdministrativeUnit, Level, Membership, Team, UnitSuccession, User

from .compute import MemberMonth, compute_lines
from .models import (
    OPEN_STATES,
    SETTLED_STATES,
    AllowanceLine,
    AllowanceRun,
    DutyEntry,
    LineKind,
    RunAction,
    RunState,
)
from .writer import LINE_COLUMNS, insert_lines, line_row

RUN_FLOW = Workflow(
    [
        Transition(
            "submit",
            OPEN_STATES,
            RunState.SUBMITTED,
            Perm.RUN_ALLOWANCES,
            gettext_lazy("Gửi duyệt"),
        ),
        Transition(
            "return",
            (RunState.SUBMITTED,),
            RunState.RETURNED,
            Perm.APPROVE_ALLOWANCES,
            gettext_lazy("Trả lại"),
            comment_required=True,
        ),
        Transition(
            "approve",
            (RunState.SUBMITTED,),
            RunState.APPROVED,
            Perm.APPROVE_ALLOWANCES,
            gettext_lazy("Phê duyệt"),
        ),
        Transition(
            "pay",
            (RunState.APPROVED,),
            RunState.PAID,
            Perm.RUN_ALLOWANCES,
            gettext_lazy("Xác nhận đã chi trả"),
        ),
    ],
    allowed=can,
    locked_states={RunState.SUBMITTED, RunState.APPROVED, RunState.PAID},
    state_labels=lambda state: RunState(state).label,
)

ARREARS_MODULE = "allowances.arrears"


# --- Reading the facts of a month ------------------------------------------------------------


class MemberInfo(NamedTuple):
    """What a line records about the person and team, as they were when it was computed (a
    named tuple: one per member of a run)."""

    person_name: str
    cccd: str
    role: str
    team_name: str
    commune_id: int | None = None


def member_months(
    *, communes: Iterable[AdministrativeUnit], month: datetime.date
) -> tuple[list[MemberMonth], dict[int, MemberInfo]]:
    """Every membership of these communes' teams that overlaps `month`, with its duty units:
    three queries whatever the number of members."""
    return months_of_members(communes=communes, months=[month])[Month.of(month).first_day]


def _field_of(model: Any, lookup: str) -> Any:
    """The model field a `values()` lookup ("person__education") ends at."""
    *relations, name = lookup.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


# The member facts the rules read from the roster (rules.base.roster), fetched with the
# membership rows. A JSON field (the posts held) comes as its text: a handful of distinct
# lists, each decoded once per case rather than once per member.
ROSTER_FACTS = roster_facts()
ROSTER_JSON = {
    f"{fact}_json": Cast(lookup, TextField())
    for fact, lookup, _read in ROSTER_FACTS
    if isinstance(_field_of(Membership, lookup), JSONField)
}
ROSTER_COLUMNS = [
    f"{fact}_json" if f"{fact}_json" in ROSTER_JSON else lookup
    for fact, lookup, _read in ROSTER_FACTS
]


def months_of_members(
    *, communes: Iterable[AdministrativeUnit], months: list[datetime.date]
) -> dict[datetime.date, tuple[list[MemberMonth], dict[int, MemberInfo]]]:
    """`member_months` for several months at once, still in three queries (arrears recompute
    every approved month of a commune, so this keeps a year's check to three queries)."""
    communes = list(communes)
    by_id = {c.pk: c for c in communes}
    months = sorted({Month.of(m).first_day for m in months})
    first = months[0]
    last = Month.of(months[-1]).last_day
    # Village types and duty units first: two small reads, so that the memberships, the
    # large one, can be worked on while PostgreSQL is still sending them (stream_rows).
    types_of_team: dict[int, set[int]] = defaultdict(set)
    areas = Team.areas.through.objects.filter(IdIn("team__commune_id", communes))
    for team_id, village_type in areas.values_list("team_id", "residentialarea__village_type"):
        if village_type is not None:
            types_of_team[team_id].add(village_type)
    # One village type when all the team's areas agree; otherwise the rule says what it needs
    # (only resolutions paying by village type ask for it).
    village_types = {t: next(iter(types)) for t, types in types_of_team.items() if len(types) == 1}
    # Units by day, not by month: in a month where a rate changes each day is paid at its own.
    duty: dict[tuple[datetime.date, int], list[tuple[datetime.date, DutyKind, int]]] = defaultdict(
        list
    )
    for membership_id, kind, day, units in (
        DutyEntry.objects.filter(
            IdIn("membership__team__commune_id", communes), day__gte=first, day__lte=last
        )
        .order_by()
        .values("membership_id", "kind", "day")
        .annotate(units=Sum("units"))
        .values_list("membership_id", "kind", "day", "units")
    ):
        duty[(Month.of(day).first_day, membership_id)].append((day, DutyKind(kind), units))
    # By month, then membership: each member looks its units up by id alone.
    duty_of: dict[datetime.date, dict[int, tuple]] = {month: {} for month in months}
    for (month, membership_id), units in duty.items():
        if month in duty_of:  # the months between those asked for are not read
            duty_of[month][membership_id] = tuple(sorted(units))
    no_duty = ()
    # One month (a run) builds its members as the rows come; several (arrears) keep each
    # row's facts and build every month's members from them below.
    single = months[0] if len(months) == 1 else None
    duty_of_single = duty_of[months[0]]
    members_of_single: list[MemberMonth] = []
    # tuple.__new__ builds a named tuple without the Python-level constructor call: this runs
    # once per member (276,000 times nationally), as does the MemberMonth below.
    new = tuple.__new__
    # One shared MemberFacts per distinct set of facts, found by the raw values they are made
    # of and what the commune and team add: built once per case rather than once per member,
    # and the engine's memo hashes it once per case too. The commune counts by its kind and
    # minimum-wage region (what MemberFacts takes from it), not by its id, so the country's
    # 276,000 members share a few hundred objects, not one per commune.
    shared_facts: dict[tuple, MemberFacts] = {}
    commune_facts = {
        pk: (c.kind, c.minimum_wage_region or None, c.jurisdiction) for pk, c in by_id.items()
    }
    readers = [
        (fact, read, column in ROSTER_JSON)
        for (fact, _lookup, read), column in zip(ROSTER_FACTS, ROSTER_COLUMNS, strict=True)
    ]

    def facts_of(raw: tuple, kind: str, region: str | None, village_type: int | None):
        return MemberFacts(
            **{
                fact: read(json.loads(value or "[]") if is_json else value)
                for (fact, read, is_json), value in zip(readers, raw, strict=True)
            },
            commune_kind=kind,
            village_type=village_type,
            minimum_wage_region=region,
        )

    # Tuples, not dictionaries: pk, dates, team, commune, who (MemberInfo's order), then the
    # roster facts (ROSTER_COLUMNS) as one slice. Each row is turned into its facts as it
    # arrives (once for all the months): the work overlaps the server's reading of the rest.
    # Nothing in this loop may query the database: the connection is busy sending the rows.
    facts_from = 9
    info: dict[int, MemberInfo] = {}
    entries: list[tuple] = []  # (pk, start, end, jurisdiction, facts)
    for row in stream_rows(
        Membership.objects.filter(
            IdIn("team__commune_id", communes), start_date__lte=last
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .annotate(**ROSTER_JSON)
        .values_list(
            "pk", "start_date", "end_date", "team_id", "team__commune_id",
            "person__full_name", "person__cccd", "role", "team__name", *ROSTER_COLUMNS,
        )
        .order_by()
    ):  # fmt: skip
        info[row[0]] = new(MemberInfo, (row[5], row[6], row[7], row[8], row[4]))
        kind, region, jurisdiction = commune_facts[row[4]]
        village_type = village_types.get(row[3])
        raw = row[facts_from:]
        key = (raw, kind, region, village_type)
        facts = shared_facts.get(key)
        if facts is None:
            facts = shared_facts[key] = facts_of(raw, kind, region, village_type)
        if single is not None:  # the query kept only the memberships that overlap the month
            pk = row[0]
            members_of_single.append(
                new(
                    MemberMonth,
                    (pk, jurisdiction, facts, row[1], row[2], duty_of_single.get(pk, no_duty)),
                )
            )
        else:
            entries.append((row[0], row[1], row[2], jurisdiction, facts))
    # In membership order, sorted here: a sort of the country's memberships in PostgreSQL
    # spills to disk at the default work_mem, and the rows come nearly sorted anyway.
    if single is not None:
        members_of_single.sort(key=itemgetter(0))
        return {single: (members_of_single, info)}
    entries.sort(key=itemgetter(0))

    out = {}
    for month in months:
        month_last = Month.of(month).last_day
        units_of = duty_of[month]
        members = [
            new(MemberMonth, (pk, jurisdiction, facts, start, end, units_of.get(pk, no_duty)))
            for pk, start, end, jurisdiction, facts in entries
            if start <= month_last and not (end and end < month)
        ]
        out[month] = (members, {m.membership_id: info[m.membership_id] for m in members})
    return out


# --- Computing a run -------------------------------------------------------------------------


def _check_month(commune: AdministrativeUnit, month: Month, today: datetime.date):
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("Chỉ tính chi trả cho xã, phường, thị trấn, đặc khu."))
    check_period_of_unit(
        month,
        unit_name=commune.name,
        valid_from=commune.valid_from,
        valid_to=commune.valid_to,
        today=today,
        future=_("Tháng %(month)s chưa đến: chỉ tính chi trả đến tháng hiện tại."),
        ended=_(
            "%(unit)s đã kết thúc hoạt động sau ngày %(end)s: không lập kỳ chi trả tháng "
            "%(month)s; việc chi trả thuộc đơn vị sau sắp xếp."
        ),
        not_started=_("%(unit)s bắt đầu hoạt động từ ngày %(start)s: không có tháng %(month)s."),
    )


def allowance_run_compute(
    *,
    commune: AdministrativeUnit,
    month: datetime.date,
    actor: User,
    today: datetime.date | None = None,
) -> AllowanceRun:
    """Compute (or recompute) the commune's run for `month`, arrears included."""
    month = Month.of(month).first_day
    _check_month(commune, Month.of(month), today or timezone.localdate())
    with transaction.atomic():
        run, _created = AllowanceRun.objects.select_for_update().get_or_create(
            commune=commune, month=month
        )
        if not run.is_open:
            raise ValidationError(
                _(
                    "Kỳ chi trả tháng %(month)s đang ở trạng thái «%(state)s»: không tính lại "
                    "được. Cần thay đổi thì trả lại kỳ (nếu đang chờ duyệt) hoặc để khoản chênh "
                    "lệch được truy lĩnh ở kỳ sau (nếu đã duyệt)."
                )
                % {"month": Month.of(month).label, "state": run.get_state_display()}
            )
        _write_runs([run], month=month, actor=actor, fresh={run.pk} if _created else set())
    return run


@dataclass(frozen=True)
class BulkOutcome:
    runs: int
    lines: int
    errors: int
    skipped: list[AllowanceRun]  # already submitted or approved: left as they are


def allowance_runs_compute(
    *, communes: list[AdministrativeUnit], month: datetime.date, actor: User
) -> BulkOutcome:
    """The same computation for many communes at once (a province, or the whole country):
    one query for the memberships, one for the duty log, one bulk insert. Runs that are
    submitted or approved are skipped and reported, never recomputed."""
    month = Month.of(month).first_day
    with transaction.atomic():
        existing = {
            r.commune_id: r
            for r in AllowanceRun.objects.select_for_update().filter(
                IdIn("commune_id", communes), month=month
            )
        }
        skipped = [r for r in existing.values() if not r.is_open]
        _create_runs([c.pk for c in communes if c.pk not in existing], month)
        runs = list(
            AllowanceRun.objects.filter(IdIn("commune_id", communes), month=month)
            .exclude(pk__in=[r.pk for r in skipped])
            .select_related("commune")
        )
        fresh = {r.pk for r in runs if r.commune_id not in existing}
        lines, errors = _write_runs(runs, month=month, actor=actor, fresh=fresh)
    return BulkOutcome(len(runs), lines, errors, skipped)


def _create_runs(commune_ids: list[int], month: datetime.date) -> None:
    """New runs of `month` for these communes, in this order, as a new AllowanceRun is (its
    field defaults): written as rows (COPY on PostgreSQL), not 3,321 model instances through
    bulk_create, a tenth of a national run's work before its lines."""
    if not commune_ids:
        return
    fields = [f for f in AllowanceRun._meta.concrete_fields if not f.primary_key]
    template = AllowanceRun(month=month)
    values = [getattr(template, f.attname) for f in fields]
    values = [v.value if isinstance(v, Enum) else v for v in values]  # choices as stored
    at = [f.name for f in fields].index("commune")
    insert_rows(
        AllowanceRun,
        [f.name for f in fields],
        ((*values[:at], pk, *values[at + 1 :]) for pk in commune_ids),
    )


@dataclass
class _Computed:
    """The lines these runs would have if computed now, current lines and arrears, with their
    snapshots (not yet saved). Reads only: `_write_runs` saves them and streams the rows into
    the table, `run_is_stale` compares them with the stored lines."""

    month: datetime.date
    run_of: dict[int, int]  # commune id → run id
    lines: list  # allowances.compute.Line
    info: dict[int, MemberInfo]
    arrears: list[AllowanceLine]
    store: SnapshotStore

    def rows(self, *, saved: bool) -> Iterator[tuple[tuple, RuleSnapshot | None]]:
        """Each line as a row in LINE_COLUMNS order with its snapshot: the snapshot's id in the
        row once the store is `saved`, else None. A generator: a national run's 276,000 rows
        go into the table as they are made, never held as a second list."""
        month, run_of, info = self.month, self.run_of, self.info
        snapshot_of = self.store.by_result
        no_cause: dict = {}
        for line in self.lines:
            who = info[line.membership_id]
            result = line.result
            snapshot = snapshot_of[id(result)] if result is not None else None
            yield (
                (
                    run_of[who.commune_id], line.membership_id, line.kind, month, line.amount,
                    line.active_days, line.days_in_month,
                    snapshot.pk if saved and snapshot is not None else None, line.error,
                    who.person_name, who.cccd, who.role, who.team_name, no_cause,
                ),
                snapshot,
            )  # fmt: skip
        for line in self.arrears:
            snapshot = line.snapshot
            line.snapshot_id = snapshot.pk if saved and snapshot is not None else None
            yield line_row(line), snapshot


def _computed_lines(runs: list[AllowanceRun], *, month: datetime.date) -> _Computed:
    communes = [run.commune for run in runs]
    run_of = {run.commune_id: run.pk for run in runs}
    params = database_parameters(sorted({c.jurisdiction for c in communes}))
    store = SnapshotStore()
    members, info = member_months(communes=communes, month=month)
    computation = compute_lines(members, month=month, params=params)
    del members
    # One snapshot per distinct result, registered in the order the lines first use them.
    for result in computation.results:
        store.for_result(result)
    arrears: list[AllowanceLine] = []
    for commune_id, own in arrears_for(communes, month, params, store):
        own.run_id = run_of[commune_id]
        arrears.append(own)
    # A late change to an old commune's approved months lands in its successor's run.
    for commune, old, memberships in predecessor_arrears_sources(communes):
        old_params = database_parameters([old.jurisdiction]) if old.jurisdiction else params
        for carried in arrears_lines(old, month, old_params, store, only=memberships, into=commune):
            carried.run_id = run_of[commune.pk]
            arrears.append(carried)
    return _Computed(month, run_of, computation.lines, info, arrears, store)


SNAPSHOT = LINE_COLUMNS.index("snapshot_id")
ERROR = LINE_COLUMNS.index("error")


def _write_runs(
    runs: list[AllowanceRun], *, month: datetime.date, actor: User, fresh: set[int] = frozenset()
) -> tuple[int, int]:
    """Replace the lines of these open runs of one month: current lines and arrears. Returns
    the number of lines written and of error lines among them. `fresh`: the ids of runs
    created in this transaction, which have no lines to delete yet."""
    counts = [0, 0]
    # The time the computation starts reading its inputs, not the time it ends: a member or
    # duty entry changed while it runs (a national run takes seconds) is then later than the
    # run, and the staleness checks (`_stale_months`, `run_is_stale`) see the change.
    now = timezone.now()
    with gc_paused():
        computed = _computed_lines(runs, month=month)
        computed.store.save()
        kept = [run for run in runs if run.pk not in fresh]
        if kept:
            AllowanceLine.objects.filter(IdIn("run_id", kept)).delete()

        def rows() -> Iterator[tuple]:
            for row, _snapshot in computed.rows(saved=True):
                counts[0] += 1
                if row[ERROR]:
                    counts[1] += 1
                yield row

        # On PostgreSQL the rows are made while COPY sends them: the server stores the first
        # rows while Python builds the next.
        insert_lines(rows())
    AllowanceRun.objects.filter(IdIn("pk", runs)).update(computed_at=now, computed_by=actor)
    for run in runs:
        run.computed_at, run.computed_by = now, actor
    return counts[0], counts[1]


def _approved_in_order(
    communes: list[AdministrativeUnit], month: datetime.date
) -> dict[int, tuple[datetime.datetime, int] | None]:
    """Each of these communes with approved months before `month`: its latest approved run
    (when it was computed, its id) if its approved months were approved in order — every one
    computed, each after the month before it was computed and approved — else None.

    Decided in the database (window functions over the runs, then one row per commune; the
    same SQL on SQLite and PostgreSQL): a national run reads 3,321 rows, not the ~26,000 runs
    and ~53,000 timestamps of eight approved months, whatever the length of the history."""

    def by_month(function: Any) -> Window:  # one commune's runs, month by month
        return Window(function, partition_by=F("commune_id"), order_by=F("month").asc())

    runs = (
        AllowanceRun.objects.filter(
            IdIn("commune_id", communes), state__in=SETTLED_STATES, month__lt=month
        )
        .order_by()
        .annotate(
            h_commune=F("commune_id"),
            h_id=F("pk"),
            h_computed=F("computed_at"),
            # One window (one sort): the latest month is the one with no month after it.
            h_month_after=by_month(Lead("month")),
            h_month_before=by_month(Lag("month")),
            h_computed_before=by_month(Lag("computed_at")),
            h_approved_before=by_month(Lag("approved_at")),
        )
        .values_list(
            "h_commune", "h_id", "h_computed", "h_month_after", "h_month_before",
            "h_computed_before", "h_approved_before",
        )
    )  # fmt: skip
    try:
        sql, params = runs.query.sql_with_params()
    except EmptyResultSet:  # no commune
        return {}
    # A month is in order when it was computed, and, unless it is the first, after the month
    # before it was computed and approved (a NULL comparison is not in order). The order of
    # consecutive months is enough: it makes every earlier month's times precede. (SQLite
    # keeps the times as ISO text in UTC, which sorts as the times do.)
    in_order = (
        "CASE WHEN h_computed IS NOT NULL AND (h_month_before IS NULL OR "
        "(h_computed_before <= h_computed AND h_approved_before <= h_computed)) "
        "THEN 1 ELSE 0 END"
    )
    latest = {
        column: f"MAX(CASE WHEN h_month_after IS NULL THEN {column} END)"
        for column in ("h_computed", "h_id")
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h_commune, MIN({in_order}), {latest['h_computed']}, {latest['h_id']} "
            f"FROM ({sql}) history GROUP BY h_commune",
            params,
        )
        rows = cursor.fetchall()
    # The latest computation's time as the ORM reads the column (SQLite returns its text).
    column = AllowanceRun._meta.get_field("computed_at").get_col(AllowanceRun._meta.db_table)
    converters = connection.ops.get_db_converters(column)
    out: dict[int, tuple[datetime.datetime, int] | None] = {}
    for commune_id, ordered, computed, run_id in rows:
        for convert in converters:
            computed = convert(computed, column, connection)
        out[commune_id] = (computed, run_id) if ordered else None
    return out


def _stale_months(
    communes: list[AdministrativeUnit], month: datetime.date
) -> dict[int, set[datetime.date]]:
    """The approved months before `month` that must be recomputed for arrears, by commune
    (only communes that have some). None of a commune's months needs it when its approved
    months were approved in order (`_approved_in_order`), the latest one recomputed every
    earlier month without an error, and nothing a run reads (members, duty log, parameters)
    changed after it was computed. When only duty entries changed since, only the months
    those entries fall in are recomputed; any other change recomputes them all. Seven queries
    at most whatever the number of communes, each returning a row per commune or fewer, so
    the cost grows with what changed, not with history."""
    history = _approved_in_order(communes, month)
    latest = {c: run for c, run in history.items() if run is not None}
    every = {c for c, run in history.items() if run is None}  # every approved month
    some: dict[int, set[datetime.date]] = {}  # only these months
    if latest:
        ids = list(latest)
        # Only what was written after the earliest of these computations can make a month
        # stale: the queries below read those rows, not every membership and duty entry of
        # the country (the same answer; the steady state reads next to nothing).
        since = min(computed for computed, _pk in latest.values())
        with_errors = set(
            AllowanceLine.objects.filter(
                IdIn("run_id", [pk for _t, pk in latest.values()]), kind=LineKind.ARREARS
            )
            .exclude(error="")
            .order_by()  # a set: no join to the runs and units for the lines' default order
            .values_list("run_id", flat=True)
        )
        members = dict(
            Membership.objects.filter(IdIn("team__commune_id", ids), updated_at__gt=since)
            .values("team__commune_id")
            .annotate(t=Max("updated_at"))
            .values_list("team__commune_id", "t")
        )
        # The duty log by commune and month of the entry: its history (edits and deletions
        # made through the services) and the entries' own creation time (entries written in
        # bulk leave no history row).
        duty: dict[int, dict[datetime.date, datetime.datetime]] = defaultdict(dict)
        for rows in (
            DutyEntry.history.filter(
                IdIn("membership__team__commune_id", ids), history_date__gt=since
            )
            .values("membership__team__commune_id", m=TruncMonth("day"))
            .annotate(t=Max("history_date"))
            .values_list("membership__team__commune_id", "m", "t"),
            DutyEntry.objects.filter(
                IdIn("membership__team__commune_id", ids), created_at__gt=since
            )
            .values("membership__team__commune_id", m=TruncMonth("day"))
            .annotate(t=Max("created_at"))
            .values_list("membership__team__commune_id", "m", "t"),
        ):
            for commune_id, entry_month, changed in rows:
                by_month = duty[commune_id]
                by_month[entry_month] = max(filter(None, (by_month.get(entry_month), changed)))
        jurisdiction = {c.pk: c.jurisdiction for c in communes}
        parameters = dict(
            Parameter.objects.filter(
                jurisdiction__in=["", *set(jurisdiction.values())], created_at__gt=since
            )
            .values("jurisdiction")
            .annotate(t=Max("created_at"))
            .values_list("jurisdiction", "t")
        )
        for commune_id, (computed, run_pk) in latest.items():
            changes = [
                members.get(commune_id),
                parameters.get(jurisdiction[commune_id]),
                parameters.get(""),
            ]
            if run_pk in with_errors or any(t is not None and t > computed for t in changes):
                every.add(commune_id)
                continue
            months = {m for m, changed in duty.get(commune_id, {}).items() if changed > computed}
            if months:
                some[commune_id] = months
    if not every and not some:
        return {}
    stale: dict[int, set[datetime.date]] = defaultdict(set)
    for commune_id, settled in (
        AllowanceRun.objects.filter(
            IdIn("commune_id", [*every, *some]), state__in=SETTLED_STATES, month__lt=month
        )
        .order_by()
        .values_list("commune_id", "month")
    ):
        if commune_id in every or settled in some[commune_id]:
            stale[commune_id].add(settled)
    return stale


@dataclass(frozen=True)
class _Difference:
    """An approved month of a member whose recomputed amount differs from what was paid (or
    could not be recomputed: `after` None and the rule's `error`)."""

    month: datetime.date
    membership_id: int
    who: MemberInfo
    before: int
    after: int | None
    error: str = ""
    used: dict[str, dict] | None = None


def arrears_for(
    communes: list[AdministrativeUnit], month: datetime.date, params, store: SnapshotStore
) -> list[tuple[int, AllowanceLine]]:
    """For each approved month before `month` of these communes: what it should pay now minus
    what it paid, set-based: the communes whose approved months cannot have changed are
    skipped (`_stale_months`), the others are read in one query for what was paid and
    three for the facts of every month, and each month is computed once for all of them."""
    stale = _stale_months(communes, month)
    todo = [c for c in communes if stale.get(c.pk)]
    if not todo:
        return []
    months = sorted({m for c in todo for m in stale[c.pk]})
    settled_keys = {(c.pk, m) for c in todo for m in stale[c.pk]}
    paid: dict[tuple[datetime.date, int], int] = defaultdict(int)
    paid_snapshots: dict[tuple[datetime.date, int], set[int]] = defaultdict(set)
    paid_info: dict[int, MemberInfo] = {}
    for (
        commune_id, month_paid, membership_id, amount, kind, snapshot_id, name, cccd, role, team
    ) in AllowanceLine.objects.filter(
        IdIn("run__commune_id", todo), run__state__in=SETTLED_STATES, reference_month__in=months
    ).values_list(
        "run__commune_id", "reference_month", "membership_id", "amount", "kind", "snapshot_id",
        "person_name", "cccd", "role", "team_name",
    ):  # fmt: skip
        if (commune_id, month_paid) not in settled_keys:
            continue
        key = (month_paid, membership_id)
        paid[key] += amount
        paid_info[membership_id] = MemberInfo(name, cccd, role, team, commune_id)
        if snapshot_id and kind != LineKind.ARREARS:
            paid_snapshots[key].add(snapshot_id)

    # Each month computed once, for the communes that have it approved.
    differences: list[_Difference] = []
    facts = months_of_members(communes=todo, months=months)
    for settled_month in months:
        members, info = facts[settled_month]
        members = [
            m for m in members if (info[m.membership_id].commune_id, settled_month) in settled_keys
        ]
        computation = compute_lines(members, month=settled_month, params=params)
        expected: dict[int, int] = defaultdict(int)
        results: dict[int, list[AmountResult]] = defaultdict(list)
        errors: dict[int, str] = {}
        for computed in computation.lines:
            if computed.error or computed.result is None:
                errors[computed.membership_id] = computed.error
                continue
            expected[computed.membership_id] += computed.amount
            results[computed.membership_id].append(computed.result)
        ids = set(expected) | set(errors) | {m for (mo, m) in paid if mo == settled_month}
        for membership_id in sorted(ids):
            who = info.get(membership_id) or paid_info[membership_id]
            before = paid.get((settled_month, membership_id), 0)
            if membership_id in errors:
                differences.append(
                    _Difference(
                        settled_month, membership_id, who, 0, None, error=errors[membership_id]
                    )
                )
                continue
            after = expected.get(membership_id, 0)
            if after != before:
                differences.append(
                    _Difference(
                        settled_month,
                        membership_id,
                        who,
                        before,
                        after,
                        used=_parameters_used(results.get(membership_id, ())),
                    )
                )

    # The parameter values behind what was paid, for the differences only: one query.
    wanted = {
        s
        for d in differences
        if d.after is not None
        for s in paid_snapshots.get((d.month, d.membership_id), ())
    }
    snapshot_parameters = dict(
        RuleSnapshot.objects.filter(pk__in=wanted).values_list("pk", "parameters")
    )
    out: list[tuple[int, AllowanceLine]] = []
    for d in differences:
        settled_month, membership_id, who = d.month, d.membership_id, d.who
        if d.after is None:
            out.append(
                (
                    who.commune_id or 0,
                    _arrears_line(
                        membership_id,
                        who,
                        settled_month,
                        0,
                        store,
                        error=_(
                            "Không tính lại được tháng %(month)s để xác định truy lĩnh: %(error)s"
                        )
                        % {"month": Month.of(settled_month).label, "error": d.error},
                    ),
                )
            )
            continue
        values = {}
        for snapshot_id in paid_snapshots.get((settled_month, membership_id), ()):
            for p in snapshot_parameters.get(snapshot_id, ()):
                values[f"{p['key']}@{p['jurisdiction']}"] = p
        line = _difference_line(
            membership_id, who, settled_month, d.before, d.after, values, d.used or {}, store
        )
        out.append((who.commune_id or 0, line))
    return out


def _difference_line(
    membership_id, who, settled, before, after, paid_values, used_values, store
) -> AllowanceLine:
    """An arrears (+) or recovery (−) line with its trace: paid, recomputed, why, difference."""
    changes = _parameter_changes(paid_values, used_values)
    trace = _arrears_trace(settled, before, after, changes)
    snapshot = store.get(
        ARREARS_MODULE,
        _("Điều chỉnh theo tính lại tháng đã duyệt"),
        trace,
        [c["parameter"] for c in changes],
    )
    return _arrears_line(
        membership_id,
        who,
        settled,
        after - before,
        store,
        snapshot=snapshot,
        cause={"paid": before, "expected": after},
    )


def predecessor_arrears_sources(
    communes: list[AdministrativeUnit],
) -> list[tuple[AdministrativeUnit, AdministrativeUnit, set[int] | None]]:
    """For each new commune, the old communes whose approved months it now pays arrears for
    (domain.md §6: the new commune took the old one's teams over on 01/07/2025), with the
    memberships concerned: all of them for an old commune that became part of this one as a
    whole; for one split between several new communes (`partly`), those of the old teams that
    this commune took over (its teams' `came_from`), so each member follows the successor that
    received their area. Three queries whatever the number of communes."""
    # EXISTS, not a join: the join read every approved run of the predecessors (and grew
    # with their history) for DISTINCT to fold them back into one row per link.
    links = list(
        UnitSuccession.objects.filter(
            IdIn("successor_id", communes),
            Exists(
                AllowanceRun.objects.filter(
                    commune=OuterRef("predecessor"), state__in=SETTLED_STATES
                )
            ),
        ).select_related("predecessor", "successor")
    )
    if not links:
        return []
    split = [link for link in links if link.partly]
    taken: dict[tuple[int, int], set[int]] = defaultdict(set)
    if split:
        for successor_id, old_commune_id, membership_id in Membership.objects.filter(
            team__went_to__commune__in=[link.successor_id for link in split],
            team__commune__in=[link.predecessor_id for link in split],
        ).values_list("team__went_to__commune_id", "team__commune_id", "pk"):
            taken[(successor_id, old_commune_id)].add(membership_id)
    by_id = {c.pk: c for c in communes}
    out = []
    for link in links:
        members = (
            taken.get((link.successor_id, link.predecessor_id), set()) if link.partly else None
        )
        if members is not None and not members:
            continue
        out.append((by_id[link.successor_id], link.predecessor, members))
    return out


def arrears_lines(
    commune,
    month,
    params,
    store: SnapshotStore,
    *,
    only: set[int] | None = None,
    into: AdministrativeUnit | None = None,
) -> list[AllowanceLine]:
    """For each approved month before `month`: what it should pay now minus what it paid.

    `into`: the new commune whose run pays the arrears of the old `commune` (whose jurisdiction
    rule the months are recomputed under), limited to the memberships `only` when the old
    commune was split. What was paid counts every approved line of those memberships and
    months, in the old commune's runs and in earlier successor runs alike."""
    settled_months = list(
        AllowanceRun.objects.filter(commune=commune, state__in=SETTLED_STATES, month__lt=month)
        .order_by("month")
        .values_list("month", flat=True)
    )
    if not settled_months:
        return []
    paid = _Paid.of(commune, settled_months, only)
    old_commune = {"commune": f"{commune.name} (cũ)", "commune_id": commune.pk} if into else {}
    out = []
    facts = months_of_members(communes=[commune], months=settled_months)
    for settled in settled_months:
        members, info = facts[settled]
        if only is not None:
            members = [m for m in members if m.membership_id in only]
        now = _Recomputed.of(members, month=settled, params=params)
        ids = set(now.expected) | set(now.errors) | {m for (mo, m) in paid.amount if mo == settled}
        for membership_id in sorted(ids):
            who = info.get(membership_id) or paid.info[membership_id]
            before = paid.amount.get((settled, membership_id), 0)
            if membership_id in now.errors:
                error = _(
                    "Không tính lại được tháng %(month)s để xác định truy lĩnh: %(error)s"
                ) % {
                    "month": Month.of(settled).label,
                    "error": now.errors[membership_id],
                }
                out.append(
                    _arrears_line(
                        membership_id,
                        who,
                        settled,
                        0,
                        store,
                        error=error,
                        cause=old_commune or None,
                    )
                )
                continue
            after = now.expected.get(membership_id, 0)
            if after == before:
                continue
            changes = _parameter_changes(
                paid.parameters((settled, membership_id)), now.used(membership_id)
            )
            snapshot = store.get(
                ARREARS_MODULE,
                _("Điều chỉnh theo tính lại tháng đã duyệt"),
                _arrears_trace(settled, before, after, changes, commune=commune, into=into),
                [c["parameter"] for c in changes],
            )
            out.append(
                _arrears_line(
                    membership_id,
                    who,
                    settled,
                    after - before,
                    store,
                    snapshot=snapshot,
                    cause={"paid": before, "expected": after} | old_commune,
                )
            )
    return out


@dataclass
class _Paid:
    """What the approved runs paid, per (month, membership), and what they paid it under."""

    amount: dict[tuple[datetime.date, int], int]
    snapshots: dict[tuple[datetime.date, int], set[int]]
    info: dict[int, MemberInfo]

    @classmethod
    def of(cls, commune, settled_months: list[datetime.date], only: set[int] | None) -> _Paid:
        paid = cls(defaultdict(int), defaultdict(set), {})
        lines = AllowanceLine.objects.filter(
            membership__team__commune=commune,
            run__state__in=SETTLED_STATES,
            reference_month__in=settled_months,
        )
        if only is not None:
            lines = lines.filter(membership_id__in=only)
        for month_paid, membership_id, amount, kind, snapshot_id, *who in lines.values_list(
            "reference_month", "membership_id", "amount", "kind", "snapshot_id", "person_name",
            "cccd", "role", "team_name",
        ):  # fmt: skip
            key = (month_paid, membership_id)
            paid.amount[key] += amount
            paid.info[membership_id] = MemberInfo(*who)
            if snapshot_id and kind != LineKind.ARREARS:
                paid.snapshots[key].add(snapshot_id)
        return paid

    def parameters(self, key: tuple[datetime.date, int]) -> dict[str, dict]:
        """The parameter values behind what was paid (read only when there is a difference)."""
        values = {}
        for parameters in RuleSnapshot.objects.filter(
            pk__in=self.snapshots.get(key, ())
        ).values_list("parameters", flat=True):
            for p in parameters:
                values[f"{p['key']}@{p['jurisdiction']}"] = p
        return values


@dataclass
class _Recomputed:
    """A settled month computed again on today's data and rules, per membership."""

    expected: dict[int, int]
    results: dict[int, list[AmountResult]]  # each membership's, in the lines' order
    errors: dict[int, str]

    @classmethod
    def of(cls, members, *, month: datetime.date, params) -> _Recomputed:
        now = cls(defaultdict(int), defaultdict(list), {})
        for line in compute_lines(members, month=month, params=params).lines:
            if line.error:
                now.errors[line.membership_id] = line.error
                continue
            now.expected[line.membership_id] += line.amount
            now.results[line.membership_id].append(line.result)
        return now

    def used(self, membership_id: int) -> dict[str, dict]:
        """The parameter values the membership's amounts used."""
        return _parameters_used(self.results.get(membership_id, ())) or {}


def _parameters_used(results: Iterable[AmountResult]) -> dict[str, dict] | None:
    """The parameter values these amounts used, by key and jurisdiction (the last one met
    wins), None when they used none. Read for the months that differ only: most recomputed
    months pay what they paid, and their lines' few dozen parameters each were turned into
    dictionaries for nothing."""
    used = {}
    for result in results:
        for p in result.parameters:
            used[f"{p.key}@{p.jurisdiction}"] = p.as_dict()
    return used or None


def _arrears_trace(
    settled: datetime.date,
    before: int,
    after: int,
    changes: list[dict],
    *,
    commune: AdministrativeUnit | None = None,
    into: AdministrativeUnit | None = None,
) -> list[dict]:
    """Paid, recomputed, what changed (a parameter, or else the roster or the duty log), the
    difference; for an old commune's month paid by its successor, the resolution that says
    the old province's rules still apply."""
    trace = [
        {
            "label": _("Đã chi cho tháng %(month)s") % {"month": Month.of(settled).label},
            "formula": _("các dòng đã duyệt"),
            "value": format_vnd(before),
            "citation": "",
        },
        {
            "label": _("Tính lại theo dữ liệu, quy định hiện hành"),
            "formula": "",
            "value": format_vnd(after),
            "citation": "",
        },
        *changes,
        {
            "label": _("Chênh lệch truy lĩnh (+) / thu hồi (−)"),
            "formula": f"{format_vnd(after)} − {format_vnd(before)}",
            "value": format_vnd(after - before),
            "citation": "",
        },
    ]
    if into is not None and commune is not None:
        trace.insert(
            0,
            {
                "label": _("Tháng %(month)s của %(old)s, trước sắp xếp đơn vị hành chính")
                % {"month": Month.of(settled).label, "old": f"{commune.name} (cũ)"},
                "formula": _("chi tại đơn vị tiếp nhận %(new)s") % {"new": into.name},
                "value": "",
                "citation": _(
                    "Nghị quyết 190/2025/QH15, Điều 10 (quy định của tỉnh cũ %(j)s tiếp tục áp dụng)"
                )
                % {"j": commune.jurisdiction},
            },
        )
    if not changes:
        trace.insert(
            2 + (into is not None),
            {
                "label": _("Nguyên nhân"),
                "formula": _(
                    "thay đổi danh sách thành viên hoặc nhật ký làm nhiệm vụ sau khi duyệt"
                ),
                "value": "",
                "citation": "",
            },
        )
    return trace


def _parameter_changes(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """Trace items for parameter values that differ between what was paid and now."""
    items = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if (
            old
            and new
            and (old["value"], old["effective_from"]) == (new["value"], new["effective_from"])
        ):
            continue
        if old is None or new is None:
            continue  # a component paid now but not then (a duty line, say) is not a change
        items.append(
            {
                "label": _("Thay đổi tham số: %(name)s") % {"name": parameter_label(new["key"])},
                "formula": f"{old['value']} → {new['value']}",
                "value": _("áp dụng từ %(day)s")
                % {"day": format_date(datetime.date.fromisoformat(new["effective_from"]))},
                "citation": new["citation"],
                "parameter": new,
            }
        )
    return items


def _arrears_line(
    membership_id, who, reference_month, amount, store, *, snapshot=None, error="", cause=None
) -> AllowanceLine:
    return AllowanceLine(
        membership_id=membership_id,
        kind=LineKind.ARREARS,
        reference_month=reference_month,
        amount=amount,
        snapshot=snapshot,
        error=error,
        person_name=who.person_name,
        cccd=who.cccd,
        role=who.role,
        team_name=who.team_name,
        cause=cause or {},
    )


# --- Approval --------------------------------------------------------------------------------


def run_is_stale(run: AllowanceRun) -> bool:
    """Whether computing the run again would give other lines than the stored ones.

    The inputs' timestamps answer most cases in three queries: nothing a run reads (members,
    duty log, parameters) changed after it was computed, so it is current. When something did,
    the run is computed again in memory and compared line by line (amounts, errors, who, and
    the snapshot of how each amount was found): touching a record without changing what the
    run pays (a phone number, a saved form, a returned run computed again) is not a change."""
    if run.computed_at is None:
        return True
    if not _inputs_touched(run):
        return False
    with gc_paused():
        now = Counter(
            _comparable(row, snapshot.digest if snapshot else None)
            for row, snapshot in _computed_lines([run], month=run.month).rows(saved=False)
        )
    columns = [c for c in LINE_COLUMNS if c != "snapshot_id"]
    stored = Counter(
        _comparable((*values[:SNAPSHOT], None, *values[SNAPSHOT:-1]), values[-1])
        for values in AllowanceLine.objects.filter(run=run).values_list(
            *columns, "snapshot__digest"
        )
    )
    return now != stored


def _comparable(row: tuple, digest: str | None) -> tuple:
    """A line as compared by `run_is_stale`: its columns (the run and the snapshot's id aside,
    the snapshot's content digest instead), JSON values as sorted text, enums as text."""
    values = [
        json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict | list) else v
        for i, v in enumerate(row)
        if i not in (0, SNAPSHOT)
    ]
    return (*(v.value if isinstance(v, Enum) else v for v in values), digest)


def _inputs_touched(run: AllowanceRun) -> bool:
    """Members, the duty log or parameters written after the run was computed."""
    changed = Q(updated_at__gt=run.computed_at)
    if Membership.objects.filter(team__commune=run.commune).filter(changed).exists():
        return True
    if DutyEntry.history.filter(
        membership__team__commune=run.commune, history_date__gt=run.computed_at
    ).exists():
        return True
    return Parameter.objects.filter(
        Q(jurisdiction="") | Q(jurisdiction=run.commune.jurisdiction),
        created_at__gt=run.computed_at,
    ).exists()


def allowance_run_transition(
    *,
    run: AllowanceRun,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    payment_reference: str = "",
    paid_on: datetime.date | None = None,
) -> AllowanceRun:
    _check_step_input(action, payment_reference)
    with transaction.atomic():
        # The run's row lock first: a recomputation in progress (which holds it while it
        # rewrites the lines) finishes before the lines are checked, so a submission checks
        # the lines it submits, never the ones being replaced.
        AllowanceRun.objects.select_for_update().filter(pk=run.pk).first()
        if action == "submit":
            _check_submittable(run)
        RUN_FLOW.apply(
            run,
            action,
            actor=actor,
            unit=run.commune,
            comment=comment,
            seen_state=seen_state,
            record=lambda **fields: RunAction.objects.create(run=run, **fields),
        )
        if action == "approve":
            run.approved_at = timezone.now()
            run.save(update_fields=["approved_at"])
        if action == "pay":
            run.payment_reference = payment_reference.strip()
            run.paid_on = paid_on or timezone.localdate()
            run.save(update_fields=["payment_reference", "paid_on"])
    return run


def _check_step_input(action: str, payment_reference: str) -> None:
    if action == "pay" and not payment_reference.strip():
        raise ValidationError(_("Cần ghi số chứng từ chi khi xác nhận đã chi trả."))


def allowance_run_step_check(
    *,
    run: AllowanceRun,
    state: str,
    action: str,
    actor: User,
    comment: str = "",
    payment_reference: str = "",
) -> str:
    """The state `action` takes `run` to from `state`, after every check
    `allowance_run_transition` makes (a submission's lines included), without writing: for a
    known walk written in bulk (the demo's year of approved runs). Returns the new state."""
    _check_step_input(action, payment_reference)
    if action == "submit":
        _check_submittable(run)
    return RUN_FLOW.check(state, action, actor=actor, unit=run.commune, comment=comment)


def _check_submittable(run: AllowanceRun) -> None:
    lines = run.lines.all()
    if not lines.exists():
        raise ValidationError(_("Kỳ chi trả chưa có dòng nào: tính chi trả trước khi gửi."))
    errors = lines.exclude(error="").count()
    if errors:
        raise ValidationError(
            _(
                "Còn %(n)s dòng chưa áp dụng được quy định (xem thông báo trên từng dòng): "
                "cần bổ sung tham số hoặc sửa dữ liệu rồi tính lại."
            )
            % {"n": errors}
        )
    if run_is_stale(run):
        raise ValidationError(
            _(
                "Danh sách thành viên, nhật ký làm nhiệm vụ hoặc quy định đã thay đổi sau lần tính "
                "gần nhất: bấm «Tính lại» rồi gửi."
            )
        )


# --- Duty log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyData:
    membership: Membership
    day: datetime.date
    kind: DutyKind
    units: int = 1
    note: str = ""


def _duty_month_state(membership: Membership, day: datetime.date) -> str | None:
    return (
        AllowanceRun.objects.filter(
            commune_id=membership.team.commune_id, month=Month.of(day).first_day
        )
        .values_list("state", flat=True)
        .first()
    )


def duty_entry_add(*, data: DutyData, actor: User) -> tuple[DutyEntry, str]:
    """Record a duty day. Returns the entry and an information message (empty if none)."""
    [added] = duty_entries_add(entries=[data], actor=actor)
    return added


def duty_entries_add(*, entries: list[DutyData], actor: User) -> list[tuple[DutyEntry, str]]:
    """Record duty days, each checked as one is, all or none, written together with their
    history rows (a commune's month of nights from a paper log; the demo's duty log: one
    query per month of a commune instead of three per entry). Returns each entry with its
    information message (empty if none), in order."""
    states: dict[tuple[int, datetime.date], str | None] = {}
    checked = []
    for data in entries:
        m = data.membership
        if data.day < m.start_date or (m.end_date and data.day > m.end_date):
            raise ValidationError(
                {
                    "day": _(
                        "Ngày %(day)s ngoài thời gian tham gia Tổ của %(name)s (%(start)s – "
                        "%(end)s)."
                    )
                    % {
                        "day": format_date(data.day),
                        "name": m.person.full_name,
                        "start": format_date(m.start_date),
                        "end": format_date(m.end_date) if m.end_date else _("nay"),
                    }
                }
            )
        if data.day > timezone.localdate():
            raise ValidationError({"day": _("Không ghi nhận trước ngày làm nhiệm vụ.")})
        if not 1 <= data.units <= 3:
            raise ValidationError({"units": _("Số ngày, đêm hoặc ca trong một ngày từ 1 đến 3.")})
        key = (m.team.commune_id, Month.of(data.day).first_day)
        if key not in states:
            states[key] = _duty_month_state(m, data.day)
        state = states[key]
        if state == RunState.SUBMITTED:
            raise ValidationError(
                _(
                    "Kỳ chi trả tháng %(month)s đang chờ duyệt: đề nghị cán bộ tài chính trả lại "
                    "trước khi bổ sung."
                )
                % {"month": Month.of(data.day).label}
            )
        notice = ""
        if state in SETTLED_STATES:
            notice = _(
                "Tháng %(month)s đã duyệt: khoản bồi dưỡng này được truy lĩnh ở kỳ chi trả sau."
            ) % {"month": Month.of(data.day).label}
        entry = DutyEntry(
            membership=m,
            day=data.day,
            kind=data.kind,
            units=data.units,
            note=data.note.strip(),
            created_by=actor,
        )
        checked.append((entry, notice))
    # (the history rows are those `entry.save()` writes: type "+", by the actor, no reason)
    bulk_create_with_history([entry for entry, _notice in checked], DutyEntry, default_user=actor)
    return checked


def duty_entry_delete(*, entry: DutyEntry, actor: User) -> str:
    state = _duty_month_state(entry.membership, entry.day)
    if state == RunState.SUBMITTED:
        raise ValidationError(
            _("Kỳ chi trả tháng %(month)s đang chờ duyệt: đề nghị trả lại trước khi xóa.")
            % {"month": Month.of(entry.month).label}
        )
    entry._history_user = actor
    entry.delete()
    if state in SETTLED_STATES:
        return _("Tháng %(month)s đã duyệt: khoản đã chi sẽ được thu hồi ở kỳ chi trả sau.") % {
            "month": Month.of(entry.month).label
        }
    return ""


# --- Trying out and saving a new dated parameter ---------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    commune: AdministrativeUnit
    month: datetime.date
    members: int
    current: int
    proposed: int
    errors: int
    basis: str  # "paid" (approved lines) or "computed" (no approved run yet)

    @property
    def difference(self) -> int:
        return self.proposed - self.current


def communes_for_jurisdiction(jurisdiction: str) -> list[AdministrativeUnit]:
    """Communes with runs under `jurisdiction` ("" = national: every commune with a run)."""
    runs = AllowanceRun.objects.all()
    if jurisdiction:
        runs = runs.filter(commune__jurisdiction=jurisdiction)
    return list(AdministrativeUnit.objects.filter(pk__in=runs.values("commune")).order_by("path"))


def preview_difference(rows: Iterable[PreviewRow]) -> int:
    """The total difference the new value would make over the previewed months."""
    return sum(row.difference for row in rows)


def parameter_preview(
    *,
    draft: ParameterValue,
    months: list[datetime.date],
    communes: list[AdministrativeUnit] | None = None,
) -> list[PreviewRow]:
    """The effect of `draft` on chosen months, before anything is saved."""
    communes = communes if communes is not None else communes_for_jurisdiction(draft.jurisdiction)
    rows = []
    for commune in communes:
        current_params = database_parameters([commune.jurisdiction])
        proposed_params = ParameterTable([*current_params, draft])
        for month in months:
            month = Month.of(month).first_day
            members, _info = member_months(communes=[commune], month=month)
            if not members:
                continue
            proposed = compute_lines(members, month=month, params=proposed_params)
            paid = AllowanceLine.objects.filter(
                run__commune=commune, run__state__in=SETTLED_STATES, reference_month=month
            ).aggregate(total=Sum("amount"))["total"]
            if paid is not None:
                current, basis = paid, "paid"
            else:
                current = sum(
                    line.amount
                    for line in compute_lines(members, month=month, params=current_params).lines
                )
                basis = "computed"
            rows.append(
                PreviewRow(
                    commune,
                    month,
                    len({m.membership_id for m in members}),
                    current,
                    sum(line.amount for line in proposed.lines),
                    len(proposed.errors),
                    basis,
                )
            )
    return rows


def parameter_save(*, draft: ParameterValue, actor: User) -> tuple[Parameter, list[AllowanceRun]]:
    """Save the new value, then put the differences of every approved month it affects into
    the next open run of each commune (creating a draft run for the next month if needed)."""
    with transaction.atomic():
        if Parameter.objects.filter(
            key=draft.key, jurisdiction=draft.jurisdiction, effective_from=draft.effective_from
        ).exists():
            raise ValidationError(
                _(
                    "Đã có giá trị của tham số này áp dụng từ ngày %(day)s; chọn ngày khác hoặc sửa "
                    "giá trị đó trong trang quản trị."
                )
                % {"day": format_date(draft.effective_from)}
            )
        parameter = Parameter(
            key=draft.key,
            jurisdiction=draft.jurisdiction,
            value=value_text(draft.value, draft.unit),
            unit=draft.unit.value,
            effective_from=draft.effective_from,
            effective_to=draft.effective_to,
            citation=draft.citation,
            source=draft.source.value,
            note=draft.note,
            origin=Parameter.Origin.ADMIN,
            created_by=actor,
        )
        parameter.full_clean()
        parameter.save()
        refreshed = []
        affected = (
            AllowanceRun.objects.filter(
                state__in=SETTLED_STATES, month__gte=Month.of(draft.effective_from).first_day
            )
            .values("commune")
            .annotate(last=Max("month"))
        )
        if draft.jurisdiction:
            affected = affected.filter(commune__jurisdiction=draft.jurisdiction)
        today = timezone.localdate()
        communes = AdministrativeUnit.objects.in_bulk([row["commune"] for row in affected])
        for row in affected:
            commune = communes[row["commune"]]
            month = next_open_month(commune, after=row["last"], today=today)
            if month is None:
                continue  # the commune ended, or the next month is still to come
            refreshed.append(
                allowance_run_compute(commune=commune, month=month, actor=actor, today=today)
            )
    return parameter, refreshed


def next_open_month(
    commune: AdministrativeUnit, *, after: datetime.date, today: datetime.date
) -> datetime.date | None:
    """The month of the earliest open run after `after`, or else the month after the commune's
    latest run (a new draft); None when that month is outside the commune's life or to come."""
    run = (
        AllowanceRun.objects.filter(commune=commune, state__in=OPEN_STATES, month__gt=after)
        .order_by("month")
        .first()
    )
    if run is not None:
        return run.month
    latest = AllowanceRun.objects.filter(commune=commune).aggregate(m=Max("month"))["m"]
    month = Month.of(latest).next().first_day
    if month > Month.of(today).first_day or (commune.valid_to and month > commune.valid_to):
        return None
    return month
