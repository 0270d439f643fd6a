"""Reads for reporting: which periods a unit reports on, whether a report can still be
edited and why, a report's content as it stands, the consolidation of the communes below a
unit, the dashboard and its charts. Services (writes) call these; these never call services.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from allowances.models import SETTLED_STATES, AllowanceLine
from core.charts import Bar, BarChart, Column, ColumnChart
from core.formatting import format_date, format_number
from insurance.models import LIST_APPROVED_STATES, FundingLine
from rules.equipment import ITEMS, item_label, team_needs
from rules.models import database_parameters
from rules.snapshots import marked
from teams.models import AdministrativeUnit, Level, Membership, Team, UnitSuccession

from . import contents as report_contents
from .access import who_reopens
from .contents import FIELDS
from .models import LockException, Report, ReportState, TrainingCourse, TrainingResult
from .periods import Period, PeriodKind, ReportingRules


def reporting_rules() -> ReportingRules:
    return ReportingRules.from_settings()


def period_of(report: Report) -> Period:
    return Period.parse(report.period, reporting_rules())


# --- Which periods a unit reports on ---------------------------------------------------------

FIRST_MONTHLY = "2024-07"  # the window containing 1 July 2024, when the law took effect
FIRST_ANNUAL = "2024"


def periods_for(unit: AdministrativeUnit, kind: str, today: datetime.date) -> list[Period]:
    """Periods of `kind` whose window overlaps the unit's life, up to the current one, newest
    first."""
    current = Period.containing(PeriodKind(kind), today, reporting_rules())
    period = Period.parse(
        FIRST_MONTHLY if kind == PeriodKind.MONTHLY else FIRST_ANNUAL, reporting_rules()
    )
    # A unit that ended in the 2025 reorganisation hands the report whose window straddles its
    # last day to its successor (which counts what it did in the window's first part).
    handed_over = (
        unit.valid_to is not None and UnitSuccession.objects.filter(predecessor=unit).exists()
    )
    out = []
    while (period.year, period.month or 0) <= (current.year, current.month or 0):
        if (
            unit.valid_to is None
            or (
                period.window_start <= unit.valid_to
                and not (handed_over and period.window_end > unit.valid_to)
            )
        ) and (unit.valid_from is None or period.window_end >= unit.valid_from):
            out.append(period)
        period = period.next()
    return out[::-1]


# --- When can a report still be edited? -----------------------------------------------------


@dataclass(frozen=True)
class EntryStatus:
    open: bool
    reason: str
    exception: LockException | None = None


def active_exception(report: Report, today: datetime.date) -> LockException | None:
    return (
        LockException.objects.filter(
            unit=report.unit, kind=report.kind, period=report.period, until__gte=today
        )
        .select_related("granted_by")
        .order_by("-until")
        .first()
    )


def entry_status(report: Report, today: datetime.date) -> EntryStatus:
    """Whether the typed numbers can be changed and the report sent, and why (not)."""
    period = period_of(report)
    if report.state == ReportState.ACCEPTED:
        return EntryStatus(False, _("Báo cáo đã được cấp trên tiếp nhận: không sửa được."))
    if report.state == ReportState.SUBMITTED:
        return EntryStatus(
            False,
            _("Báo cáo đã gửi ngày %(day)s; cần sửa thì đề nghị cấp trên trả lại.")
            % {"day": format_date(report.submitted_at)},
        )
    if report.state == ReportState.RETURNED:
        return EntryStatus(True, _("Cấp trên đã trả lại báo cáo: sửa và gửi lại."))
    if today < period.locks_on:
        return EntryStatus(
            True,
            _("Hạn gửi: hết ngày %(due)s. Sau ngày %(last)s không nhập, sửa được nữa.")
            % {
                "due": format_date(period.last_on_time_day),
                "last": format_date(period.locks_on - datetime.timedelta(days=1)),
            },
        )
    exception = active_exception(report, today)
    if exception:
        return EntryStatus(
            True,
            _("Đã quá hạn nhưng được mở lại đến hết ngày %(until)s (%(who)s: %(reason)s).")
            % {
                "until": format_date(exception.until),
                "who": exception.granted_by,
                "reason": exception.reason,
            },
            exception,
        )
    expired = (
        LockException.objects.filter(unit=report.unit, kind=report.kind, period=report.period)
        .order_by("-until")
        .first()
    )
    if expired:
        return EntryStatus(
            False,
            _("Thời hạn mở lại đã hết ngày %(until)s: đề nghị %(who)s mở lại nếu cần.")
            % {"until": format_date(expired.until), "who": who_reopens(report.unit)},
        )
    return EntryStatus(
        False,
        _("Đã quá hạn nhập liệu (khóa từ ngày %(day)s): đề nghị %(who)s mở lại nếu cần.")
        % {"day": format_date(period.locks_on), "who": who_reopens(report.unit)},
    )


# --- Contents and consolidation ------------------------------------------------------------


@dataclass
class Row:
    unit: AdministrativeUnit
    report: Report | None
    contents: dict
    parent: AdministrativeUnit | None = None

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.is_sent


@dataclass
class Consolidation:
    unit: AdministrativeUnit
    period: Period
    rows: list[Row]  # one per commune, in tree order
    totals: dict

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def received(self) -> int:
        return sum(1 for r in self.rows if r.sent)

    def subtotals(self) -> list[tuple[AdministrativeUnit | None, list[Row], dict]]:
        """Rows grouped by district (old tree), each with the sum of its sent reports."""
        groups: dict[int, tuple[AdministrativeUnit | None, list[Row]]] = {}
        for row in self.rows:
            key = row.parent.pk if row.parent else 0
            groups.setdefault(key, (row.parent, []))[1].append(row)
        return [
            (parent, rows, sum_contents(r.contents for r in rows if r.sent))
            for parent, rows in groups.values()
        ]


def sum_contents(items) -> dict:
    """The sum of report contents (see `contents.add`)."""
    total: dict = {}
    for item in items:
        total = report_contents.add(total, item)
    return total


def communes_for(unit: AdministrativeUnit, period: Period):
    """The communes under `unit` that existed during the period's window."""
    return (
        AdministrativeUnit.objects.within(unit)
        .communes()
        .exclude(valid_to__lt=period.window_start)
        .exclude(valid_from__gt=period.window_end)
        .select_related("parent")
        .order_by("path")
    )


def consolidation(*, unit: AdministrativeUnit, period: Period) -> Consolidation:
    """A district's or province's report: its communes' frozen reports, added up."""
    communes = list(communes_for(unit, period))
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(unit__in=communes, kind=period.kind, period=period.key)
    }
    rows = []
    for commune in communes:
        report = reports.get(commune.pk)
        rows.append(
            Row(
                commune,
                report,
                report.contents if report and report.is_sent else {},
                commune.parent
                if commune.parent and commune.parent.level == Level.DISTRICT
                else None,
            )
        )
    totals = sum_contents(r.contents for r in rows if r.sent)
    return Consolidation(unit, period, rows, totals)


def live_contents(report: Report) -> dict:
    """The content as it would be sent now (a sent report shows its frozen content)."""
    if report.is_sent and report.contents:
        return report.contents
    period = period_of(report)
    if report.unit.level == Level.COMMUNE:
        return report_contents.commune_contents(commune=report.unit, period=period, report=report)
    totals = consolidation(unit=report.unit, period=period).totals
    return totals


def commune_live_contents(reports: Sequence[Report]) -> list[dict]:
    """`live_contents` of several reports of one commune (a year of them, as the demo sends
    them), those to compute counted from one read of the commune's rows
    (`contents.commune_contents_many`)."""
    live = [r for r in reports if not (r.is_sent and r.contents)]
    computed: dict[int, dict] = {}
    if live:
        commune = live[0].unit
        if commune.level != Level.COMMUNE or any(r.unit_id != commune.pk for r in live):
            raise ValueError("commune_live_contents: the reports of one commune")
        periods = [(period_of(r), r) for r in live]
        contents = report_contents.commune_contents_many(commune=commune, periods=periods)
        computed = dict(zip(map(id, live), contents, strict=True))
    return [computed.get(id(r), r.contents) for r in reports]


# --- Pages --------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: Period
    report: Report | None

    @property
    def state(self) -> str:
        return self.report.state if self.report else ReportState.DRAFT

    @property
    def state_label(self) -> str | Promise:
        return ReportState(self.state).label if self.report else "Chưa lập"


def unit_periods(*, unit: AdministrativeUnit, kind: str, today: datetime.date) -> list[PeriodRow]:
    periods = periods_for(unit, kind, today)
    reports = {r.period: r for r in Report.objects.filter(unit=unit, kind=kind)}
    return [PeriodRow(p, reports.get(p.key)) for p in periods]


@dataclass
class StatusCount:
    expected: int
    sent: int
    on_time: int
    late: int
    accepted: int

    @property
    def on_time_rate(self) -> int:
        return round(100 * self.on_time / self.expected) if self.expected else 0


def status_count(consolidation: Consolidation) -> StatusCount:
    sent = [r.report for r in consolidation.rows if r.report is not None and r.report.is_sent]
    return StatusCount(
        expected=consolidation.expected,
        sent=len(sent),
        on_time=sum(1 for r in sent if not r.late),
        late=sum(1 for r in sent if r.late),
        accepted=sum(1 for r in sent if r.state == ReportState.ACCEPTED),
    )


@dataclass
class Group:
    parent: AdministrativeUnit | None
    rows: list
    subtotal: dict
    count: StatusCount


STATUS_FILTERS = {
    "chua-gui": lambda row: not row.sent,
    "muon": lambda row: row.sent and row.report.late,
    "da-gui": lambda row: row.sent,
}


def status_groups(consolidation: Consolidation, status: str = "") -> list[Group]:
    """The communes by district (old tree) with each district's counts; `status` keeps only
    the communes not sent ("chua-gui"), late ("muon") or sent ("da-gui")."""
    keep = STATUS_FILTERS.get(status, lambda row: True)
    groups = []
    for parent, rows, subtotal in consolidation.subtotals():
        part = Consolidation(consolidation.unit, consolidation.period, rows, subtotal)
        groups.append(Group(parent, [r for r in rows if keep(r)], subtotal, status_count(part)))
    return groups


def quota_chart(consolidation: Consolidation) -> BarChart:
    bars = [
        Bar(row.unit.name, row.contents.get("members", 0), row.contents.get("quota", 0))
        for row in consolidation.rows
        if row.sent
    ]
    return BarChart("Thành viên so với định mức theo xã (báo cáo đã gửi; vạch đen: định mức)", bars)


def spending_chart(*, unit: AdministrativeUnit, year: int) -> ColumnChart:
    """Allowances paid (approved runs) under `unit`, by the month they pay for."""
    totals = dict(
        AllowanceLine.objects.filter(
            run__commune__path__startswith=unit.path,
            run__state__in=SETTLED_STATES,
            run__month__year=year,
        )
        .annotate(m=TruncMonth("run__month"))
        .values_list("m")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    return ColumnChart(
        f"Chi hỗ trợ hằng tháng, bồi dưỡng năm {year} (triệu đồng, theo tháng chi trả)",
        _month_columns(totals, year, lambda v: f"{format_number(round(v / 1e6))}tr"),
    )


def insurance_chart(*, unit: AdministrativeUnit, year: int) -> ColumnChart:
    """State and provincial support of approved quarterly insurance lists, by month covered."""
    totals = dict(
        FundingLine.objects.filter(
            funding_list__commune__path__startswith=unit.path,
            funding_list__state__in=LIST_APPROVED_STATES,
            month__year=year,
        )
        .values_list("month")
        .annotate(t=Sum(F("state_support") + F("province_support")))
        .order_by()
    )
    return ColumnChart(
        f"Hỗ trợ đóng BHXH tự nguyện, BHYT năm {year} (triệu đồng, theo tháng đóng)",
        _month_columns(totals, year, lambda v: f"{v / 1e6:.1f}".replace(".", ",") + "tr"),
    )


def _month_columns(totals: dict, year: int, label) -> list[Column]:
    """Twelve columns from {first day of month: amount}; empty months have no label."""
    columns = []
    for month in range(1, 13):
        value = totals.get(datetime.date(year, month, 1), 0) or 0
        columns.append(Column(f"{month:02d}", value, label(value) if value else ""))
    return columns


def on_time_chart(*, unit: AdministrativeUnit, year: int, today: datetime.date) -> ColumnChart:
    """For each monthly period of the year: the share of communes that reported on time."""
    columns = []
    for month in range(1, 13):
        period = Period.monthly(year, month, reporting_rules())
        if period.window_start > today:
            columns.append(Column(f"{month:02d}", 0, ""))
            continue
        count = status_count(consolidation(unit=unit, period=period))
        columns.append(
            Column(
                f"{month:02d}",
                count.on_time_rate,
                f"{count.on_time_rate}%" if count.expected else "—",
            )
        )
    return ColumnChart(f"Tỷ lệ xã gửi báo cáo tháng đúng hạn năm {year}", columns, maximum=100)


def report_rows(contents: dict, kind: str) -> list[tuple[str | Promise, list]]:
    """The content as (section, [(label, value, money, unverified)]) rows for pages and
    documents; `unverified`: the amount was computed with a value not from the legal text."""
    from .contents import ANNUAL_FIELDS, SECTIONS

    fields = FIELDS + (ANNUAL_FIELDS if kind == PeriodKind.ANNUAL else [])
    sections: dict[str, list] = {key: [] for key in SECTIONS}
    for f in fields:
        sections[f.section].append(
            (f.label, contents.get(f.key, 0), f.money, f.money and marked(contents, f.key))
        )
    return [(SECTIONS[key], rows) for key, rows in sections.items() if rows]


def is_upper(unit: AdministrativeUnit) -> bool:
    return unit.level in (Level.DISTRICT, Level.PROVINCE)


def report_or_unsaved(unit: AdministrativeUnit, period: Period) -> Report:
    """The stored report, or an unsaved one: reading a report (pages on GET, `render_report`)
    never writes."""
    return Report.objects.filter(unit=unit, kind=period.kind, period=period.key).first() or Report(
        unit=unit, kind=period.kind, period=period.key
    )


def course_eligible(course: TrainingCourse):
    """Memberships of the commune active at some point during the course."""
    return (
        Membership.objects.filter(team__commune=course.commune, start_date__lte=course.end_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=course.start_date))
        .select_related("person", "team")
        .order_by("team__name", "person__search_name")
    )


def training_counts(*, commune: AdministrativeUnit) -> dict[str, int]:
    """Serving members of the commune, and how many of them passed a training course."""
    serving = Membership.objects.filter(team__commune=commune, end_date__isnull=True)
    return {
        "active": serving.count(),
        "trained": serving.filter(
            pk__in=TrainingResult.objects.filter(outcome="passed").values("membership_id")
        ).count(),
    }


@dataclass(frozen=True)
class TeamEquipment:
    held: dict[str, int]  # item → quantity the team holds
    members: int  # serving members
    needs: Any  # rules.equipment.team_needs: the Circular 14 shares minus what is held


def team_equipment(*, team: Team, on: datetime.date) -> TeamEquipment:
    held = dict(team.equipment.values_list("item", "quantity"))
    members = team.memberships.filter(end_date__isnull=True).count()
    needs = team_needs(
        members=members,
        held=held,
        params=database_parameters([]),
        on=on,
        jurisdiction=team.commune.jurisdiction,
    )
    return TeamEquipment(held, members, needs)


@dataclass(frozen=True)
class EquipmentLine:
    """One line of a report's equipment table, as the page, the PDF and the spreadsheet show
    it: the item's name, never its key."""

    item: str
    label: str
    required: int
    held: int
    need: int  # the shortfalls of the teams that lack the item, summed
    surplus: int  # what teams hold beyond their own need, summed


def equipment_lines(contents: dict) -> list[EquipmentLine]:
    """The equipment table of an annual report's contents, in the catalogue's order. Contents
    stored before the surplus column existed get it from the identity
    required − held = need − surplus."""
    equipment = contents.get("equipment") or {}
    order = [item for item in ITEMS if item in equipment] + sorted(
        item for item in equipment if item not in ITEMS
    )
    lines = []
    for item in order:
        v = equipment[item]
        surplus = v.get("surplus", v["need"] - (v["required"] - v["held"]))
        lines.append(
            EquipmentLine(item, item_label(item), v["required"], v["held"], v["need"], surplus)
        )
    return lines
