"""Reads for allowances: run lists, the approval queue, run pages and payment lists.

Payment lists (PDF and XLSX) are built from the run's lines only — the snapshot of what was
computed — never from today's roster or rules.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import Letterhead, Signature, place_name
from core.formatting import amount_in_words
from core.periods import Month
from rules import law
from rules.base import TeamRole
from rules.snapshots import UnverifiedValue, unverified_values
from teams.access import Perm, scope_q
from teams.models import AdministrativeUnit, Membership, User, role_label

from .models import AllowanceLine, AllowanceRun, DutyEntry, LineKind, RunState


def with_totals(runs: QuerySet[AllowanceRun]) -> QuerySet[AllowanceRun]:
    return runs.annotate(
        total=Sum("lines__amount"),
        line_count=Count("lines"),
        error_count=Count("lines", filter=~Q(lines__error="")),
        people=Count("lines__membership", distinct=True),
    )


def commune_runs(*, commune: AdministrativeUnit) -> QuerySet[AllowanceRun]:
    return with_totals(AllowanceRun.objects.filter(commune=commune)).order_by("-month")


def months_for(commune: AdministrativeUnit, today: datetime.date) -> list[datetime.date]:
    """Months a run can be made for: from the law (or the commune's start) to this month or
    the commune's end, most recent first."""
    start = max(law.IN_FORCE.value, (commune.valid_from or law.IN_FORCE.value).replace(day=1))
    end = today.replace(day=1)
    if commune.valid_to:
        end = min(end, commune.valid_to.replace(day=1))
    months = []
    month = Month.of(start)
    while month.first_day <= end:
        months.append(month.first_day)
        month = month.next()
    return months[::-1]


def approval_queue(*, actor: User) -> QuerySet[AllowanceRun]:
    """Runs waiting for this finance officer, with their totals."""
    return (
        with_totals(
            AllowanceRun.objects.filter(
                scope_q(actor, Perm.APPROVE_ALLOWANCES, path_field="commune__path"),
                state=RunState.SUBMITTED,
            )
        )
        .select_related("commune__parent")
        .order_by("month", "commune__path")
    )


def runs_total(runs: Iterable[AllowanceRun]) -> int:
    """What the runs of `approval_queue` pay, added up."""
    return sum(run.total or 0 for run in runs)  # type: ignore[attr-defined]  # with_totals


@dataclass
class PersonRow:
    """One membership on a run page or payment list: its lines summed by kind."""

    membership_id: int
    person_name: str
    cccd: str
    role: str
    team_name: str
    monthly: int = 0
    duty: int = 0
    arrears: int = 0
    active_days: int | None = None
    days_in_month: int | None = None
    lines: list[AllowanceLine] = field(default_factory=list)
    index: int = 0

    @property
    def total(self) -> int:
        return self.monthly + self.duty + self.arrears

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def unverified(self) -> bool:
        """A line of this person was computed with a value not from the legal text."""
        return any(line.snapshot and line.snapshot.unverified_parameters for line in self.lines)

    @property
    def partial(self) -> bool:
        return self.active_days is not None and self.active_days != self.days_in_month

    @property
    def errors(self) -> list[str]:
        return [line.error for line in self.lines if line.error]


@dataclass
class TeamGroup:
    name: str
    rows: list[PersonRow]
    # Arrears of an old commune's months paid here (after the 2025 reorganisation): the
    # payment list shows them in their own section, headed by this.
    section: str = ""

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


@dataclass
class RunSheet:
    run: AllowanceRun
    teams: list[TeamGroup]

    @property
    def rows(self) -> list[PersonRow]:
        return [row for team in self.teams for row in team.rows]

    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def monthly(self) -> int:
        return self._sum("monthly")

    @property
    def duty(self) -> int:
        return self._sum("duty")

    @property
    def arrears(self) -> int:
        return self._sum("arrears")

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def total_in_words(self) -> str:
        return amount_in_words(self.total)

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.rows)

    @property
    def citations(self) -> list[str]:
        seen: OrderedDict[str, None] = OrderedDict()
        for row in self.rows:
            for line in row.lines:
                if line.snapshot and line.kind != LineKind.ARREARS:
                    seen[line.snapshot.citation] = None
        return list(seen)

    @property
    def unverified_values(self) -> list[UnverifiedValue]:
        """For the footnote of the lines marked (*): every unverified value they used."""
        return unverified_values(line.snapshot for row in self.rows for line in row.lines)

    @property
    def arrears_notes(self) -> list[tuple[PersonRow, AllowanceLine]]:
        return [
            (row, line) for row in self.rows for line in row.lines if line.kind == LineKind.ARREARS
        ]


ROLE_ORDER = {TeamRole.TO_TRUONG: 0, TeamRole.TO_PHO: 1, TeamRole.TO_VIEN: 2}


def run_sheet(*, run: AllowanceRun) -> RunSheet:
    """The run's lines grouped by team and person (two queries)."""
    rows: dict[int, PersonRow] = {}
    for line in run.lines.select_related("snapshot").order_by("reference_month", "kind"):
        row = rows.get(line.membership_id)
        if row is None:
            row = rows[line.membership_id] = PersonRow(
                line.membership_id, line.person_name, line.cccd, line.role, line.team_name
            )
        row.lines.append(line)
        if line.kind == LineKind.MONTHLY:
            row.monthly += line.amount
            row.active_days, row.days_in_month = line.active_days, line.days_in_month
        elif line.kind == LineKind.DUTY:
            row.duty += line.amount
        else:
            row.arrears += line.amount

    def section(row: PersonRow) -> str:
        old = {line.cause.get("commune") for line in row.lines if line.cause.get("commune")}
        if old and all(line.kind == LineKind.ARREARS for line in row.lines):
            return str(
                _("Truy lĩnh, điều chỉnh các tháng trước 01/07/2025 của %(old)s")
                % {"old": sorted(old)[0]}
            )
        return ""

    teams: OrderedDict[tuple[str, str], list[PersonRow]] = OrderedDict()
    ordered = sorted(
        rows.values(),
        key=lambda r: (section(r), r.team_name, ROLE_ORDER[TeamRole(r.role)], r.person_name),
    )
    for index, row in enumerate(ordered, start=1):
        row.index = index
        teams.setdefault((section(row), row.team_name), []).append(row)
    return RunSheet(
        run,
        [TeamGroup(name, team_rows, part) for (part, name), team_rows in teams.items()],
    )


RUN_ROWS_PER_PAGE = 100


@dataclass
class PageTeam:
    """A team's rows on one page of a run; `total` is the whole team's, whichever page."""

    name: str
    rows: list[PersonRow]
    total: int
    continued: bool  # the team began on an earlier page
    section: str = ""  # TeamGroup.section: arrears of an old commune's months
    group: TeamGroup | None = None


@dataclass
class SheetPage:
    page: Page
    teams: list[PageTeam]
    errors_only: bool


def sheet_page(sheet: RunSheet, number: str | None, *, errors_only: bool = False) -> SheetPage:
    """One page of a run's rows (RUN_ROWS_PER_PAGE people, their calculation traces folded),
    so that a 420-member commune's page is not half a megabyte; `errors_only` keeps the rows
    whose lines could not be computed. Totals on the page are the sheet's, not the page's."""
    group_of = {id(row): team for team in sheet.teams for row in team.rows}
    rows = [row for row in sheet.rows if row.errors] if errors_only else sheet.rows
    page = Paginator(rows, RUN_ROWS_PER_PAGE).get_page(number)
    before = rows[page.start_index() - 2] if page.start_index() > 1 else None
    teams: list[PageTeam] = []
    for row in page.object_list:
        group = group_of[id(row)]
        if not teams or teams[-1].group is not group:
            continued = not teams and before is not None and group_of[id(before)] is group
            teams.append(PageTeam(group.name, [], group.total, continued, group.section, group))
        teams[-1].rows.append(row)
    return SheetPage(page, teams, errors_only)


def payment_list_context(*, run: AllowanceRun, today: datetime.date | None = None) -> dict:
    """Everything the payment-list PDF template needs, evaluated."""
    commune = run.commune
    sheet = run_sheet(run=run)
    day = (
        timezone.localtime(run.approved_at).date()
        if run.approved_at
        else (today or timezone.localdate())
    )
    return {
        "sheet": sheet,
        "run": run,
        "draft": not run.is_settled,
        "landscape": True,
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
            place=place_name(commune.name),
            date=day,
            title="DANH SÁCH",
            subject=(
                "Chi trả hỗ trợ hằng tháng, bồi dưỡng cho thành viên Tổ bảo vệ an ninh, trật tự "
                f"tháng {run.month.month} năm {run.month.year}"
            ),
            number="       /DS-UBND",
        ),
        "signatures": [
            Signature("NGƯỜI LẬP BIỂU"),
            Signature("KẾ TOÁN"),
            Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"),
        ],
    }


def duty_entries(*, commune: AdministrativeUnit, month: datetime.date) -> QuerySet[DutyEntry]:
    first, last = Month.of(month).first_day, Month.of(month).last_day
    return (
        DutyEntry.objects.filter(membership__team__commune=commune, day__gte=first, day__lte=last)
        .select_related("membership__person", "membership__team", "created_by")
        .order_by("day", "membership__team__name", "membership__person__search_name")
    )


def memberships_in_month(
    *, commune: AdministrativeUnit, month: datetime.date
) -> QuerySet[Membership]:
    first, last = Month.of(month).first_day, Month.of(month).last_day
    return (
        Membership.objects.filter(team__commune=commune, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("person", "team")
        .order_by("team__name", "person__search_name")
    )
