"""Reads for reporting pages: a unit's reports by period, the dashboard, charts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth

from allowances.models import SETTLED_STATES, AllowanceLine
from core.formatting import format_number
from insurance.models import LIST_APPROVED_STATES, FundingLine
from teams.models import AdministrativeUnit, Level

from . import services
from .charts import Bar, BarChart, Column, ColumnChart
from .contents import FIELDS
from .models import Report, ReportState
from .periods import Period, PeriodKind


@dataclass
class PeriodRow:
    period: Period
    report: Report | None

    @property
    def state(self) -> str:
        return self.report.state if self.report else ReportState.DRAFT

    @property
    def state_label(self) -> str:
        return ReportState(self.state).label if self.report else "Chưa lập"


def unit_periods(*, unit: AdministrativeUnit, kind: str, today: datetime.date) -> list[PeriodRow]:
    periods = services.periods_for(unit, kind, today)
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


def status_count(consolidation: services.Consolidation) -> StatusCount:
    sent = [r.report for r in consolidation.rows if r.sent]
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


def status_groups(consolidation: services.Consolidation, status: str = "") -> list[Group]:
    """The communes by district (old tree) with each district's counts; `status` keeps only
    the communes not sent ("chua-gui"), late ("muon") or sent ("da-gui")."""
    keep = STATUS_FILTERS.get(status, lambda row: True)
    groups = []
    for parent, rows, subtotal in consolidation.subtotals():
        part = services.Consolidation(consolidation.unit, consolidation.period, rows, subtotal)
        groups.append(Group(parent, [r for r in rows if keep(r)], subtotal, status_count(part)))
    return groups


def quota_chart(consolidation: services.Consolidation) -> BarChart:
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
        period = Period.monthly(year, month, services.rules())
        if period.window_start > today:
            columns.append(Column(f"{month:02d}", 0, ""))
            continue
        count = status_count(services.consolidation(unit=unit, period=period))
        columns.append(
            Column(
                f"{month:02d}",
                count.on_time_rate,
                f"{count.on_time_rate}%" if count.expected else "—",
            )
        )
    return ColumnChart(f"Tỷ lệ xã gửi báo cáo tháng đúng hạn năm {year}", columns, maximum=100)


def report_rows(contents: dict, kind: str) -> list[tuple[str, list]]:
    """The content as (section, [(label, value, money)]) rows for pages and documents."""
    from .contents import ANNUAL_FIELDS, SECTIONS

    fields = FIELDS + (ANNUAL_FIELDS if kind == PeriodKind.ANNUAL else [])
    sections: dict[str, list] = {key: [] for key in SECTIONS}
    for f in fields:
        sections[f.section].append((f.label, contents.get(f.key, 0), f.money))
    return [(SECTIONS[key], rows) for key, rows in sections.items() if rows]


def is_upper(unit: AdministrativeUnit) -> bool:
    return unit.level in (Level.DISTRICT, Level.PROVINCE)


def report_or_unsaved(unit: AdministrativeUnit, period: Period) -> Report:
    """The stored report, or an unsaved one: reading a report (pages on GET, `render_report`)
    never writes."""
    return Report.objects.filter(unit=unit, kind=period.kind, period=period.key).first() or Report(
        unit=unit, kind=period.kind, period=period.key
    )
