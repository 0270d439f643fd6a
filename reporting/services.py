"""Writes for reporting: typed numbers, submission (freezing the content), review upward,
lock exceptions; and the rules of when a report can still be edited.

Flow: a commune's officer submits → the level above (district police where the district
exists, else the provincial police) accepts or returns it with a reason → a district's police
submit the district report, which adds up its communes' frozen reports → the provincial police
accept it and send the provincial report, which adds up the province's communes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_date
from core.workflow import Transition, Workflow
from teams.access import Perm, can, user_assignments
from teams.models import AdministrativeUnit, Level, Role, User
from teams.services import claim_version

from . import contents as report_contents
from .models import (
    MANUAL_FIELDS,
    EquipmentHolding,
    LockException,
    Report,
    ReportAction,
    ReportState,
    TrainingCourse,
    TrainingResult,
)
from .periods import Period, PeriodKind, ReportingRules

SENT = (ReportState.SUBMITTED, ReportState.ACCEPTED)


def _flow(submit_perm: Perm) -> Workflow:
    return Workflow(
        [
            Transition("submit", (ReportState.DRAFT, ReportState.RETURNED), ReportState.SUBMITTED,
                       submit_perm, gettext_lazy("Gửi báo cáo")),
            Transition("return", (ReportState.SUBMITTED,), ReportState.RETURNED,
                       Perm.CONSOLIDATE_REPORTS, gettext_lazy("Trả lại"), comment_required=True),
            Transition("accept", (ReportState.SUBMITTED,), ReportState.ACCEPTED,
                       Perm.CONSOLIDATE_REPORTS, gettext_lazy("Tiếp nhận")),
        ],
        allowed=can,
        locked_states={ReportState.SUBMITTED, ReportState.ACCEPTED},
        state_labels=lambda state: ReportState(state).label,
    )  # fmt: skip


# A commune's officer sends the commune's report; district and provincial reports are sent by
# the police who consolidate them.
COMMUNE_FLOW = _flow(Perm.SUBMIT_REPORT)
UPPER_FLOW = _flow(Perm.CONSOLIDATE_REPORTS)


def flow_for(unit: AdministrativeUnit) -> Workflow:
    return COMMUNE_FLOW if unit.level == Level.COMMUNE else UPPER_FLOW


def rules() -> ReportingRules:
    return ReportingRules.from_settings()


def period_of(report: Report) -> Period:
    return Period.parse(report.period, rules())


def report_get(*, unit: AdministrativeUnit, kind: str, period: Period) -> Report:
    report, _created = Report.objects.get_or_create(unit=unit, kind=kind, period=period.key)
    return report


# --- When can a report still be edited? ------------------------------------------------------


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
            _("Thời hạn mở lại đã hết ngày %(until)s: đề nghị Công an tỉnh mở lại nếu cần.")
            % {"until": format_date(expired.until)},
        )
    return EntryStatus(
        False,
        _("Đã quá hạn nhập liệu (khóa từ ngày %(day)s): đề nghị Công an tỉnh mở lại nếu cần.")
        % {"day": format_date(period.locks_on)},
    )


def _require_open(report: Report, today: datetime.date) -> None:
    status = entry_status(report, today)
    if not status.open:
        raise ValidationError(status.reason)


# --- Typed numbers ---------------------------------------------------------------------------


def report_update_manual(
    *,
    report: Report,
    values: dict,
    version: int,
    actor: User,
    today: datetime.date | None = None,
) -> Report:
    perm = Perm.SUBMIT_REPORT if report.unit.level == Level.COMMUNE else Perm.CONSOLIDATE_REPORTS
    if not can(actor, report.unit, perm):
        raise PermissionDenied(_("Vai trò của bạn không được nhập báo cáo của đơn vị này."))
    _require_open(report, today or timezone.localdate())
    for name in MANUAL_FIELDS:
        if values.get(name) is not None and values[name] < 0:
            raise ValidationError({name: _("Không nhận số âm.")})
    with transaction.atomic():
        claim_version(report, version)  # raises EditConflict with what the other one changed
        for name in [*MANUAL_FIELDS, "narrative"]:
            if name in values and values[name] is not None:
                setattr(report, name, values[name])
        report._history_user = actor
        report.save()
    return report


# --- Contents and submission ------------------------------------------------------------------


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

    def subtotals(self) -> list[tuple[AdministrativeUnit, list[Row], dict]]:
        """Rows grouped by district (old tree), each with the sum of its sent reports."""
        groups: dict[int, tuple[AdministrativeUnit, list[Row]]] = {}
        for row in self.rows:
            key = row.parent.pk if row.parent else 0
            groups.setdefault(key, (row.parent, []))[1].append(row)
        return [
            (parent, rows, _sum(r.contents for r in rows if r.sent))
            for parent, rows in groups.values()
        ]


def _sum(items) -> dict:
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
    totals = _sum(r.contents for r in rows if r.sent)
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


def report_transition(
    *,
    report: Report,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    today: datetime.date | None = None,
) -> Report:
    today = today or timezone.localdate()
    flow = flow_for(report.unit)
    if action == "submit":
        _require_open(report, today)
    else:
        _require_above(actor, report.unit)
    with transaction.atomic():
        if action == "submit":
            frozen = live_contents(report)
        flow.apply(
            report,
            action,
            actor=actor,
            unit=report.unit,
            comment=comment,
            seen_state=seen_state,
            record=lambda **fields: ReportAction.objects.create(report=report, **fields),
        )
        if action == "submit":
            report.contents = frozen
            report.submitted_at, report.submitted_by = timezone.now(), actor
            report.late = period_of(report).is_late(today)
            report.save(update_fields=["contents", "submitted_at", "submitted_by", "late"])
    return report


def reviews(actor: User, unit: AdministrativeUnit) -> bool:
    """Reviewing is for the level above: a district's police do not accept their own report."""
    return unit.parent is not None and can(actor, unit.parent, Perm.CONSOLIDATE_REPORTS)


def _require_above(actor: User, unit: AdministrativeUnit) -> None:
    if not reviews(actor, unit):
        raise PermissionDenied(_("Chỉ cấp trên của đơn vị mới tiếp nhận hoặc trả lại báo cáo."))


# --- Lock exceptions -------------------------------------------------------------------------


def can_grant_exception(user: User, unit: AdministrativeUnit) -> bool:
    """Only the provincial police (at province level, above the unit) reopen entry."""
    provincial = user.is_superuser or any(
        a.role == Role.PROVINCIAL_POLICE
        and a.unit.level == Level.PROVINCE
        and unit.path.startswith(a.unit.path)
        for a in user_assignments(user)
    )
    return provincial and can(user, unit, Perm.GRANT_LOCK_EXCEPTION)


def lock_exception_grant(
    *,
    unit: AdministrativeUnit,
    kind: str,
    period: Period,
    reason: str,
    until: datetime.date,
    actor: User,
    today: datetime.date | None = None,
) -> LockException:
    today = today or timezone.localdate()
    if not can_grant_exception(actor, unit):
        raise PermissionDenied(_("Chỉ Công an tỉnh được mở lại nhập liệu sau thời hạn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi rõ lý do mở lại.")})
    if until < today:
        raise ValidationError({"until": _("Ngày mở đến phải từ hôm nay trở đi.")})
    if until > today + datetime.timedelta(days=31):
        raise ValidationError({"until": _("Mở lại tối đa 31 ngày một lần.")})
    return LockException.objects.create(
        unit=unit,
        kind=kind,
        period=period.key,
        reason=reason.strip(),
        until=until,
        granted_by=actor,
    )


# --- Which periods a unit reports on ---------------------------------------------------------

FIRST_MONTHLY = "2024-07"  # the window containing 1 July 2024, when the law took effect
FIRST_ANNUAL = "2024"


def periods_for(unit: AdministrativeUnit, kind: str, today: datetime.date) -> list[Period]:
    """Periods of `kind` whose window overlaps the unit's life, up to the current one, newest
    first."""
    current = Period.containing(PeriodKind(kind), today, rules())
    period = Period.parse(FIRST_MONTHLY if kind == PeriodKind.MONTHLY else FIRST_ANNUAL, rules())
    out = []
    while (period.year, period.month or 0) <= (current.year, current.month or 0):
        if (unit.valid_to is None or period.window_start <= unit.valid_to) and (
            unit.valid_from is None or period.window_end >= unit.valid_from
        ):
            out.append(period)
        period = _next(period)
    return out[::-1]


def _next(period: Period) -> Period:
    if period.kind == PeriodKind.MONTHLY:
        year, month = (
            (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
        )
        return Period.monthly(year, month, period.rules)
    return Period.annual(period.year + 1, period.rules)


# --- Training and equipment (inputs of the reports) ------------------------------------------


def course_create(
    *,
    commune: AdministrativeUnit,
    name: str,
    organiser: str,
    start: datetime.date,
    end: datetime.date,
    actor: User,
) -> TrainingCourse:
    if not can(actor, commune, Perm.EDIT_ROSTER):
        raise PermissionDenied(_("Chỉ cán bộ cấp xã ghi nhận lớp huấn luyện của xã mình."))
    if end < start:
        raise ValidationError({"end_date": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    if end > timezone.localdate():
        raise ValidationError({"end_date": _("Chỉ ghi nhận lớp đã kết thúc.")})
    return TrainingCourse.objects.create(
        commune=commune,
        name=name.strip(),
        organiser=organiser.strip(),
        start_date=start,
        end_date=end,
        created_by=actor,
    )


def course_eligible(course: TrainingCourse):
    """Memberships of the commune active at some point during the course."""
    from django.db.models import Q

    from teams.models import Membership

    return (
        Membership.objects.filter(team__commune=course.commune, start_date__lte=course.end_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=course.start_date))
        .select_related("person", "team")
        .order_by("team__name", "person__search_name")
    )


def course_results_set(*, course: TrainingCourse, outcomes: dict[int, str], actor: User) -> int:
    """Record each member's outcome ("" removes it). Returns how many results the course has."""
    if not can(actor, course.commune, Perm.EDIT_ROSTER):
        raise PermissionDenied(_("Chỉ cán bộ cấp xã ghi nhận kết quả huấn luyện."))
    eligible = set(course_eligible(course).values_list("pk", flat=True))
    unknown = set(outcomes) - eligible
    if unknown:
        raise ValidationError(_("Có thành viên không tham gia Tổ của xã trong thời gian lớp học."))
    valid = set(TrainingResult.Outcome.values)
    with transaction.atomic():
        for membership_id, outcome in outcomes.items():
            if not outcome:
                TrainingResult.objects.filter(course=course, membership_id=membership_id).delete()
            elif outcome in valid:
                TrainingResult.objects.update_or_create(
                    course=course, membership_id=membership_id, defaults={"outcome": outcome}
                )
            else:
                raise ValidationError(_("Kết quả không hợp lệ."))
    return course.results.count()


def equipment_set(*, team, quantities: dict[str, int], actor: User) -> None:
    if not can(actor, team.commune, Perm.EDIT_ROSTER):
        raise PermissionDenied(_("Chỉ cán bộ cấp xã cập nhật trang bị của Tổ."))
    from rules.equipment import ITEMS

    with transaction.atomic():
        for item, quantity in quantities.items():
            if item not in ITEMS or quantity is None or quantity < 0:
                raise ValidationError(_("Số lượng trang bị không hợp lệ."))
            holding = EquipmentHolding.objects.filter(team=team, item=item).first()
            if holding is None:
                holding = EquipmentHolding(
                    team=team, item=item, quantity=quantity, updated_by=actor
                )
            elif holding.quantity == quantity:
                continue
            holding.quantity, holding.updated_by = quantity, actor
            holding._history_user = actor
            holding.save()
