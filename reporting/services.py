"""Writes for reporting: typed numbers, submission (freezing the content), review upward,
lock exceptions, training results and equipment. What they read (whether entry is still open,
the content to freeze) comes from `reporting.selectors`.

Flow: a commune's officer submits → the level above (district police where the district
exists, else the provincial police) accepts or returns it with a reason → a district's police
submit the district report, which adds up its communes' frozen reports → the provincial police
accept it and send the provincial report, which adds up the province's communes.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.workflow import Transition, Workflow
from teams.access import Perm, can
from teams.models import AdministrativeUnit, Level, User
from teams.services import claim_version

from . import access, selectors
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
from .periods import Period


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


def report_get(*, unit: AdministrativeUnit, kind: str, period: Period) -> Report:
    report, _created = Report.objects.get_or_create(unit=unit, kind=kind, period=period.key)
    return report


def _stored(report: Report) -> Report:
    """The report itself once stored: an unsaved one (`selectors.report_or_unsaved`) is
    written only here, inside the write's transaction and after its checks, so a refused save
    or submission leaves no empty draft behind."""
    if report.pk is not None:
        return report
    stored, _created = Report.objects.get_or_create(
        unit=report.unit, kind=report.kind, period=report.period
    )
    return stored


def _require_open(report: Report, today: datetime.date) -> None:
    status = selectors.entry_status(report, today)
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
    report_update_check(report=report, values=values, actor=actor, today=today)
    with transaction.atomic():
        report = _stored(report)
        claim_version(report, version)  # raises EditConflict with what the other one changed
        for name in [*MANUAL_FIELDS, "narrative"]:
            if name in values and values[name] is not None:
                setattr(report, name, values[name])
        report._history_user = actor
        report.save()
    return report


def report_update_check(
    *, report: Report, values: dict, actor: User, today: datetime.date | None = None
) -> None:
    """The checks of `report_update_manual`, without writing (also for a known sequence of
    reports written in bulk: the demo's year of reports)."""
    perm = Perm.SUBMIT_REPORT if report.unit.level == Level.COMMUNE else Perm.CONSOLIDATE_REPORTS
    if not can(actor, report.unit, perm):
        raise PermissionDenied(_("Vai trò của bạn không được nhập báo cáo của đơn vị này."))
    _require_open(report, today or timezone.localdate())
    for name in MANUAL_FIELDS:
        if values.get(name) is not None and values[name] < 0:
            raise ValidationError({name: _("Không nhận số âm.")})


# --- Contents and submission ------------------------------------------------------------------


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
    _check_step(report, action, actor, today)
    with transaction.atomic():
        report = _stored(report)
        if action == "submit":
            frozen = selectors.live_contents(report)
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
            report.late = selectors.period_of(report).is_late(today)
            report._history_user = actor  # type: ignore[attr-defined]
            report.save(update_fields=["contents", "submitted_at", "submitted_by", "late"])
    return report


def _check_step(report: Report, action: str, actor: User, today: datetime.date) -> None:
    if action == "submit":
        _require_open(report, today)
    else:
        _require_above(actor, report.unit)


def report_step_check(
    *,
    report: Report,
    state: str,
    action: str,
    actor: User,
    comment: str = "",
    today: datetime.date | None = None,
) -> str:
    """The state `action` takes `report` to from `state`, after every check
    `report_transition` makes, without writing: for a known sequence of steps written in bulk
    (the demo's year of reports). Returns the new state."""
    _check_step(report, action, actor, today or timezone.localdate())
    return flow_for(report.unit).check(
        state, action, actor=actor, unit=report.unit, comment=comment
    )


def _require_above(actor: User, unit: AdministrativeUnit) -> None:
    if not access.reviews(actor, unit):
        raise PermissionDenied(_("Chỉ cấp trên của đơn vị mới tiếp nhận hoặc trả lại báo cáo."))


# --- Lock exceptions -------------------------------------------------------------------------


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
    if not access.can_grant_exception(actor, unit):
        raise PermissionDenied(
            _("Chỉ %(who)s được mở lại nhập liệu của đơn vị này sau thời hạn.")
            % {"who": access.who_reopens(unit)}
        )
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


def course_results_set(*, course: TrainingCourse, outcomes: dict[int, str], actor: User) -> int:
    """Record each member's outcome ("" removes it). Returns how many results the course has."""
    if not can(actor, course.commune, Perm.EDIT_ROSTER):
        raise PermissionDenied(_("Chỉ cán bộ cấp xã ghi nhận kết quả huấn luyện."))
    eligible = set(selectors.course_eligible(course).values_list("pk", flat=True))
    unknown = set(outcomes) - eligible
    if unknown:
        raise ValidationError(_("Có thành viên không tham gia Tổ của xã trong thời gian lớp học."))
    valid = set(TrainingResult.Outcome.values)
    if any(outcome and outcome not in valid for outcome in outcomes.values()):
        raise ValidationError(_("Kết quả không hợp lệ."))
    # A course's results are read once and written as sets (a commune's course has a few
    # hundred members): one query per member was most of what seeding the demo's courses took.
    with transaction.atomic():
        results = course.results.filter(membership_id__in=list(outcomes))
        existing = {r.membership_id: r for r in results}
        removed = [pk for pk, outcome in outcomes.items() if not outcome and pk in existing]
        changed, new = [], []
        for membership_id, outcome in outcomes.items():
            if not outcome:
                continue
            result = existing.get(membership_id)
            if result is None:
                new.append(
                    TrainingResult(course=course, membership_id=membership_id, outcome=outcome)
                )
            elif result.outcome != outcome:
                result.outcome = outcome
                changed.append(result)
        if removed:
            TrainingResult.objects.filter(course=course, membership_id__in=removed).delete()
        TrainingResult.objects.bulk_update(changed, ["outcome"])
        TrainingResult.objects.bulk_create(new)
    return course.results.count()


def equipment_set(*, team, quantities: dict[str, int], actor: User) -> None:
    equipment_set_teams(quantities={team: quantities}, actor=actor)


def equipment_set_teams(*, quantities: dict, actor: User) -> None:
    """What each team holds ({team: {item: quantity}}), the teams of a commune at once (the
    demo's teams: five queries for a commune instead of three per team)."""
    from rules.equipment import ITEMS

    for team, items in quantities.items():
        if not can(actor, team.commune, Perm.EDIT_ROSTER):
            raise PermissionDenied(_("Chỉ cán bộ cấp xã cập nhật trang bị của Tổ."))
        for item, quantity in items.items():
            if item not in ITEMS or quantity is None or quantity < 0:
                raise ValidationError(_("Số lượng trang bị không hợp lệ."))
    # The teams' holdings are read in one query and the new ones written together, with their
    # history rows (a new team's eight items were 24 queries).
    with transaction.atomic():
        held = {
            (h.team_id, h.item): h
            for h in EquipmentHolding.objects.filter(team__in=list(quantities))
        }
        new = []
        for team, items in quantities.items():
            for item, quantity in items.items():
                holding = held.get((team.pk, item))
                if holding is None:
                    new.append(
                        EquipmentHolding(team=team, item=item, quantity=quantity, updated_by=actor)
                    )
                elif holding.quantity != quantity:
                    holding.quantity, holding.updated_by = quantity, actor
                    holding._history_user = actor
                    holding.save()
        bulk_create_with_history(new, EquipmentHolding, default_user=actor)
