"""Reads for insurance: a commune's lists, the work queue of BHXH and finance officers, a list
grouped by person, the official list (PDF/XLSX), incidents, and the numbers reports read.

The official list is built from the lines only (the snapshot of what was computed), never from
today's enrolments or rules.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from core.documents import Letterhead, Signature, place_name
from core.formatting import amount_in_words
from core.periods import Month, Quarter
from rules import law
from rules.insurance import Scheme
from rules.snapshots import UnverifiedValue, unverified_values
from teams.access import ROLE_PERMISSIONS, Perm, scope_q, user_assignments
from teams.models import AdministrativeUnit, Membership, User

from .models import (
    LIST_APPROVED_STATES,
    FundingLine,
    FundingList,
    Incident,
    IncidentState,
    ListState,
    PaymentMode,
)


def with_totals(lists: QuerySet[FundingList]) -> QuerySet[FundingList]:
    return lists.annotate(
        state_total=Sum("lines__state_support"),
        province_total=Sum("lines__province_support"),
        member_total=Sum("lines__member_pays"),
        line_count=Count("lines"),
        error_count=Count("lines", filter=~Q(lines__error="")),
        people=Count("lines__person", distinct=True),
    )


def budget_of(funding_list: FundingList) -> int:
    return (funding_list.state_total or 0) + (funding_list.province_total or 0)


def commune_lists(*, commune: AdministrativeUnit) -> list[FundingList]:
    lists = list(with_totals(FundingList.objects.filter(commune=commune)).order_by("-quarter"))
    for item in lists:
        item.budget = budget_of(item)
    return lists


def quarters_for(commune: AdministrativeUnit, today: datetime.date) -> list[datetime.date]:
    """Quarters a list can be made for, most recent first."""
    quarter = Quarter.of(max(law.IN_FORCE.value, commune.valid_from or law.IN_FORCE.value))
    end = Quarter.of(today)
    if commune.valid_to:
        end = min(end, Quarter.of(commune.valid_to))
    quarters = []
    while quarter <= end:
        quarters.append(quarter.first_day)
        quarter = quarter.next()
    return quarters[::-1]


# States in which a list waits for an officer holding the permission.
WAITING_FOR = {
    Perm.VERIFY_INSURANCE: (ListState.SUBMITTED, ListState.COMMUNE_SIGNED),
    Perm.APPROVE_FUNDING: (ListState.SIGNED, ListState.APPROVED, ListState.ADVANCED),
}


def queue_perms(user: User) -> list[Perm]:
    if user.is_superuser:
        return list(WAITING_FOR)
    held: set[Perm] = set()
    for a in user_assignments(user):
        held |= ROLE_PERMISSIONS[a.role]
    return [p for p in WAITING_FOR if p in held]


def work_queue(*, actor: User) -> list[FundingList]:
    """Lists waiting for this BHXH or finance officer (verify, sign, approve, advance, settle),
    with their totals, in their subtree only."""
    q = Q(pk__in=[])
    for perm in queue_perms(actor):
        q |= scope_q(actor, perm, path_field="commune__path") & Q(state__in=WAITING_FOR[perm])
    # An advanced list waits for settlement only once its quarter is over.
    q &= ~Q(state=ListState.ADVANCED, quarter__gte=Quarter.of(timezone.localdate()).first_day)
    lists = list(
        with_totals(FundingList.objects.filter(q))
        .select_related("commune__parent")
        .order_by("quarter", "commune__path")
    )
    for item in lists:
        item.budget = budget_of(item)
        # What the commune asks for: this quarter's support and the differences carried in.
        item.requested = item.budget + item.carried_in
    return lists


def requested_total(lists: Iterable[FundingList]) -> int:
    """The sum asked for by the lists of `work_queue`."""
    return sum(item.requested for item in lists)


@dataclass
class CommuneTotal:
    commune: AdministrativeUnit
    lists: int = 0
    people: int = 0
    budget: int = 0


def totals_per_commune(lists: Iterable[FundingList]) -> list[CommuneTotal]:
    out: OrderedDict[int, CommuneTotal] = OrderedDict()
    for item in sorted(lists, key=lambda x: x.commune.path):
        total = out.setdefault(item.commune_id, CommuneTotal(item.commune))
        total.lists += 1
        total.people += item.people or 0
        total.budget += item.requested
    return list(out.values())


@dataclass
class PersonRow:
    person_id: int
    person_name: str
    cccd: str
    team_name: str
    vsi: list[FundingLine] = field(default_factory=list)
    hi: list[FundingLine] = field(default_factory=list)
    index: int = 0

    @property
    def lines(self) -> list[FundingLine]:
        return self.vsi + self.hi

    def _sum(self, lines, name) -> int:
        return sum(getattr(line, name) for line in lines)

    @property
    def unverified(self) -> bool:
        """A line of this person was computed with a value not from the legal text."""
        return any(line.snapshot and line.snapshot.unverified_parameters for line in self.lines)

    @property
    def vsi_months(self) -> int:
        return len(self.vsi)

    @property
    def hi_months(self) -> int:
        return len(self.hi)

    @property
    def vsi_income(self) -> int | None:
        return self.vsi[-1].income if self.vsi else None

    @property
    def vsi_groups(self) -> str:
        from rules.insurance import Group

        if not self.vsi:
            return ""
        groups = [Group(g) for g in self.vsi[-1].groups if g != Group.OTHER]
        return ", ".join(g.label for g in groups) or Group.OTHER.label

    @property
    def payment_mode(self) -> str:
        mode = self.vsi[-1].payment_mode if self.vsi else None
        return str(PaymentMode(mode).label) if mode else ""

    @property
    def vsi_contribution(self) -> int:
        return self._sum(self.vsi, "contribution")

    @property
    def vsi_state(self) -> int:
        return self._sum(self.vsi, "state_support")

    @property
    def vsi_province(self) -> int:
        return self._sum(self.vsi, "province_support")

    @property
    def hi_contribution(self) -> int:
        return self._sum(self.hi, "contribution")

    @property
    def hi_state(self) -> int:
        return self._sum(self.hi, "state_support")

    @property
    def hi_province(self) -> int:
        return self._sum(self.hi, "province_support")

    @property
    def budget(self) -> int:
        return self._sum(self.lines, "budget")

    @property
    def member_pays(self) -> int:
        return self._sum(self.lines, "member_pays")

    @property
    def errors(self) -> list[str]:
        return [f"{Month.of(line.month).label}: {line.error}" for line in self.lines if line.error]

    @property
    def partial(self) -> bool:
        return 0 < max(self.vsi_months, self.hi_months) < 3 or (
            self.vsi and self.hi and self.vsi_months != self.hi_months
        )


@dataclass
class ListSheet:
    funding_list: FundingList
    rows: list[PersonRow]

    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    vsi_contribution = property(lambda self: self._sum("vsi_contribution"))
    vsi_state = property(lambda self: self._sum("vsi_state"))
    vsi_province = property(lambda self: self._sum("vsi_province"))
    hi_contribution = property(lambda self: self._sum("hi_contribution"))
    hi_state = property(lambda self: self._sum("hi_state"))
    hi_province = property(lambda self: self._sum("hi_province"))
    budget = property(lambda self: self._sum("budget"))
    member_pays = property(lambda self: self._sum("member_pays"))

    @property
    def vsi_people(self) -> int:
        return sum(1 for row in self.rows if row.vsi)

    @property
    def hi_people(self) -> int:
        return sum(1 for row in self.rows if row.hi)

    @property
    def requested(self) -> int:
        return self.budget + self.funding_list.carried_in

    @property
    def requested_in_words(self) -> str:
        return amount_in_words(self.requested)

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.rows)

    @property
    def unverified_values(self) -> list[UnverifiedValue]:
        """For the footnote of the lines marked (*): every unverified value they used."""
        return unverified_values(line.snapshot for row in self.rows for line in row.lines)

    @property
    def citations(self) -> list[str]:
        seen: OrderedDict[str, None] = OrderedDict()
        for row in self.rows:
            for line in row.lines:
                if line.snapshot:
                    for item in line.snapshot.trace:
                        if item.get("citation"):
                            seen[item["citation"]] = None
        return list(seen)


def list_sheet(*, funding_list: FundingList) -> ListSheet:
    """The list's lines grouped by person (one query)."""
    rows: dict[int, PersonRow] = {}
    for line in funding_list.lines.select_related("snapshot").order_by("month", "scheme"):
        row = rows.get(line.person_id)
        if row is None:
            row = rows[line.person_id] = PersonRow(
                line.person_id, line.person_name, line.cccd, line.team_name
            )
        (row.vsi if line.scheme == Scheme.VSI else row.hi).append(line)
    ordered = sorted(rows.values(), key=lambda r: (r.team_name, r.person_name))
    for index, row in enumerate(ordered, start=1):
        row.index = index
    return ListSheet(funding_list, ordered)


LIST_ROWS_PER_PAGE = 100


def list_page(sheet: ListSheet, number: str | None, *, errors_only: bool = False) -> Page:
    """One page of a list's people (LIST_ROWS_PER_PAGE, their monthly traces folded), so that
    a large commune's list page stays small; `errors_only` keeps the rows with errors. The
    totals shown stay the sheet's."""
    rows = [row for row in sheet.rows if row.errors] if errors_only else sheet.rows
    return Paginator(rows, LIST_ROWS_PER_PAGE).get_page(number)


def _district_of(commune: AdministrativeUnit) -> AdministrativeUnit | None:
    parent = commune.parent
    if parent is not None and parent.level == "district":
        return parent
    return None


def quarterly_list_context(
    *, funding_list: FundingList, today: datetime.date | None = None
) -> dict:
    """Everything the PDF of «Danh sách đề nghị hỗ trợ kinh phí đóng BHXH tự nguyện, BHYT»
    needs, evaluated: co-signature blocks of the commune and BHXH, then the finance approval
    of the unit that approves for this commune (the district before 1 Jul 2025 where there was
    one, else the commune itself)."""
    commune = funding_list.commune
    sheet = list_sheet(funding_list=funding_list)
    day = (
        timezone.localtime(funding_list.approved_at).date()
        if funding_list.approved_at
        else (today or timezone.localdate())
    )
    district = _district_of(commune)
    bhxh_unit = district.name if district else commune.parent.name if commune.parent else ""
    finance_body = (
        f"PHÒNG TÀI CHÍNH - KẾ HOẠCH {district.name.upper()}"
        if district
        else f"PHÒNG KINH TẾ {commune.name.upper()}"
    )
    return {
        "sheet": sheet,
        "funding_list": funding_list,
        "draft": not funding_list.is_approved,
        "landscape": True,
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
            place=place_name(commune.name),
            date=day,
            title="DANH SÁCH",
            subject=(
                "Đề nghị hỗ trợ kinh phí đóng bảo hiểm xã hội tự nguyện, bảo hiểm y tế cho "
                "thành viên Tổ bảo vệ an ninh, trật tự "
                f"quý {funding_list.quarter_number} năm {funding_list.quarter.year}"
            ),
            number="       /DS-UBND",
        ),
        "signatures": [
            Signature("NGƯỜI LẬP BIỂU"),
            Signature(f"BẢO HIỂM XÃ HỘI {bhxh_unit.upper()}" if bhxh_unit else "BẢO HIỂM XÃ HỘI"),
            Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"),
        ],
        "approval": Signature(finance_body, "PHÊ DUYỆT CỦA CƠ QUAN TÀI CHÍNH"),
        "actions": list(funding_list.actions.select_related("actor")),
    }


def incident_decision_context(*, incident: Incident, today: datetime.date | None = None) -> dict:
    commune = incident.commune
    day = (
        timezone.localtime(incident.approved_at).date()
        if incident.approved_at
        else (today or timezone.localdate())
    )
    return {
        "incident": incident,
        "draft": incident.state != IncidentState.APPROVED,
        # the rule's own total is replaced by the decision's total (medical costs included)
        "trace": incident.snapshot.trace[:-1] if incident.snapshot else [],
        "total_in_words": amount_in_words(incident.total),
        "unverified_values": [str(v) for v in unverified_values([incident.snapshot])],
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
            place=place_name(commune.name),
            date=day,
            title="QUYẾT ĐỊNH",
            subject=(
                "Về việc hỗ trợ thành viên Tổ bảo vệ an ninh, trật tự chưa tham gia bảo hiểm "
                f"xã hội, bảo hiểm y tế {incident.get_kind_display().lower()} khi thực hiện "
                "nhiệm vụ"
            ),
            number=f"{incident.decision_number or '       '}/QĐ-UBND"
            if "/" not in incident.decision_number
            else incident.decision_number,
        ),
        "signatures": [Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")],
    }


def commune_incidents(*, commune: AdministrativeUnit) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(commune=commune)
        .select_related("membership__person", "membership__team")
        .order_by("-occurred_on", "-pk")
    )


def enrolment_rows(*, commune: AdministrativeUnit, today: datetime.date) -> QuerySet[Membership]:
    """The commune's current members with their VSI and HI enrolments (one query)."""
    return (
        Membership.objects.filter(team__commune=commune)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person__vsi", "person__hi", "team")
        .order_by("team__name", "person__search_name")
    )


@dataclass(frozen=True)
class ReportWindow:
    """A report's window [start, end]; `memberships`: whether the extra memberships given to
    `report_rows` count in it (a new commune's report whose window began before 01/07/2025
    counts its predecessors' part, its later ones do not)."""

    start: datetime.date
    end: datetime.date
    memberships: bool = True


@dataclass
class ReportRows:
    """The approved quarter lines and incidents that reports over some windows count, read once
    (two queries) and then counted per window in Python: a commune's year of reports reads
    them once instead of four queries a report (`report_rows`)."""

    communes: Iterable
    # (month, scheme, person, state support, province support, member pays, snapshot, commune)
    lines: list[tuple]
    # (approval day, medical costs, rule amount, snapshot, commune)
    incidents: list[tuple]

    @cached_property
    def _commune_ids(self) -> set[int]:
        # (read only for a window the extra memberships do not count in)
        return {c if isinstance(c, int) else c.pk for c in self.communes}

    def _in(self, window: ReportWindow, day, commune_id) -> bool:
        # (every row read is the communes' or the extra memberships')
        return window.start <= day <= window.end and (
            window.memberships or commune_id in self._commune_ids
        )

    def _window(self, window: ReportWindow):
        lines = [r for r in self.lines if self._in(window, r[0], r[7])]
        incidents = [r for r in self.incidents if self._in(window, r[0], r[4])]
        return lines, incidents

    def numbers(self, window: ReportWindow) -> dict[str, int]:
        """See `insurance_numbers`."""
        lines, incidents = self._window(window)
        return {
            "vsi_participants": len({r[2] for r in lines if r[1] == Scheme.VSI}),
            "hi_participants": len({r[2] for r in lines if r[1] == Scheme.HI}),
            "state_support": sum(r[3] for r in lines),
            "province_support": sum(r[4] for r in lines),
            "member_pays": sum(r[5] for r in lines),
            "incidents": len(incidents),
            "incident_amount": sum(r[1] for r in incidents) + sum(r[2] for r in incidents),
        }

    def snapshot_ids(self) -> set[int | None]:
        """The snapshots of every row read (for `rules.snapshots.unverified_snapshots`)."""
        return {r[6] for r in self.lines} | {r[3] for r in self.incidents}

    def snapshots(self, window: ReportWindow) -> dict[str, set[int]]:
        """See `insurance_report_snapshots`."""
        lines, incidents = self._window(window)
        return {
            "support": {r[6] for r in lines if r[6] is not None},
            "incident": {r[3] for r in incidents if r[3] is not None},
        }


def report_rows(
    *, communes_qs_or_ids, start: datetime.date, end: datetime.date, memberships=None
) -> ReportRows:
    """What reports over windows within [start, end] count: APPROVED quarter lines (approved,
    advanced or settled lists) whose month falls in the window (a month counts when its first
    day is in it), incidents approved (decision date, in the current time zone as the
    `__date` lookup reads it) in the window. `memberships`: also the lines and incidents of
    these memberships, whatever commune listed them (`ReportWindow.memberships`)."""
    where = Q(funding_list__commune__in=communes_qs_or_ids)
    if memberships is not None:
        where |= Q(membership__in=memberships)
    lines = list(
        FundingLine.objects.filter(
            where,
            funding_list__state__in=LIST_APPROVED_STATES,
            month__gte=start,
            month__lte=end,
        ).values_list(
            "month",
            "scheme",
            "person_id",
            "state_support",
            "province_support",
            "member_pays",
            "snapshot_id",
            "funding_list__commune_id",
        )
    )
    where = Q(commune__in=communes_qs_or_ids)
    if memberships is not None:
        where |= Q(membership__in=memberships)
    incidents = [
        (timezone.localdate(approved_at), medical, rule, snapshot, commune)
        for approved_at, medical, rule, snapshot, commune in Incident.objects.filter(
            where,
            state=IncidentState.APPROVED,
            approved_at__date__gte=start,
            approved_at__date__lte=end,
        ).values_list("approved_at", "medical_costs", "rule_amount", "snapshot_id", "commune_id")
    ]
    return ReportRows(communes_qs_or_ids, lines, incidents)


def insurance_report_snapshots(
    *, communes_qs_or_ids, start: datetime.date, end: datetime.date, memberships=None
) -> dict[str, set[int]]:
    """The rule snapshots behind `insurance_numbers`' amounts: of the quarter lines
    ("support") and of the incidents ("incident"), so a report can mark the amounts computed
    with an unverified value."""
    rows = report_rows(
        communes_qs_or_ids=communes_qs_or_ids, start=start, end=end, memberships=memberships
    )
    return rows.snapshots(ReportWindow(start, end))


def insurance_numbers(
    *, communes_qs_or_ids, start: datetime.date, end: datetime.date, memberships=None
) -> dict[str, int]:
    """Numbers for reports over [start, end] (`report_rows`): people counted once per scheme,
    the support summed; the incidents and their amounts."""
    rows = report_rows(
        communes_qs_or_ids=communes_qs_or_ids, start=start, end=end, memberships=memberships
    )
    return rows.numbers(ReportWindow(start, end))
