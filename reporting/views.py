"""Reporting pages. Objects come through access helpers; the logic is in services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import pdf_response
from core.exporters import xlsx_response
from core.job_views import JobUrls, job_views
from core.views import Errors, submit
from rules.equipment import ITEMS
from rules.snapshots import marked_values
from teams.access import Perm, access_commune, access_team, access_unit, can, user_assignments
from teams.models import Level, Role
from teams.selectors import unit_page
from teams.services import EditConflict

from . import access, documents, jobs, selectors, services
from .access import access_course, access_job
from .forms import CourseForm, EquipmentForm, LockExceptionForm, ManualNumbersForm, TransitionForm
from .models import TrainingResult
from .periods import Period, PeriodKind

KIND_SLUGS = {"thang": PeriodKind.MONTHLY, "nam": PeriodKind.ANNUAL}
SLUG_OF = {v: k for k, v in KIND_SLUGS.items()}


def _period(kind_slug: str, key: str, unit) -> Period:
    kind = KIND_SLUGS.get(kind_slug)
    try:
        period = Period.parse(key, selectors.reporting_rules())
    except ValueError:
        raise Http404(_("Kỳ báo cáo không hợp lệ.")) from None
    if kind is None or period.kind != kind:
        raise Http404(_("Kỳ báo cáo không hợp lệ."))
    if period.key not in {p.key for p in selectors.periods_for(unit, kind, timezone.localdate())}:
        raise Http404(_("Đơn vị không có kỳ báo cáo này."))
    return period


@require_safe
def reports_home(request):
    """Where a user starts: the units they report for or consolidate."""
    today = timezone.localdate()
    entries = []
    assignments = list(user_assignments(request.user))
    for a in assignments:
        if a.role in (Role.COMMUNE_OFFICER, Role.PROVINCIAL_POLICE, Role.ADMINISTRATOR) or (
            a.role in (Role.FINANCE_OFFICER, Role.INSURANCE_OFFICER)
        ):
            entries.append(
                (a, selectors.unit_periods(unit=a.unit, kind=PeriodKind.MONTHLY, today=today)[:3])
            )
    # Assigned, but in a role that neither reports nor consolidates (the Committee's leader,
    # the mediation officers): say so, rather than "not assigned to any unit".
    return render(
        request, "reporting/home.html", {"entries": entries, "assigned": bool(assignments)}
    )


@require_safe
def unit_reports(request, pk: int):
    unit = access_unit(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "reporting/unit_reports.html",
        {
            **unit_page(unit=unit),
            "today": today,
            "monthly": selectors.unit_periods(unit=unit, kind=PeriodKind.MONTHLY, today=today),
            "annual": selectors.unit_periods(unit=unit, kind=PeriodKind.ANNUAL, today=today),
            "upper": selectors.is_upper(unit),
            "slugs": SLUG_OF,
        },
    )


@require_safe
def report_detail(request, pk: int, kind: str, period: str):
    return _report_detail(request, pk, kind, period)


def _report_detail(request, pk: int, kind: str, period: str, form=None, transition_form=None):
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    report = selectors.report_or_unsaved(unit, p)
    today = timezone.localdate()
    status = selectors.entry_status(report, today)
    contents = selectors.live_contents(report)
    consolidation = (
        selectors.consolidation(unit=unit, period=p) if selectors.is_upper(unit) else None
    )
    writer = Perm.SUBMIT_REPORT if unit.level == Level.COMMUNE else Perm.CONSOLIDATE_REPORTS
    can_write = can(request.user, unit, writer)
    transitions = [
        t
        for t in services.flow_for(unit).available(report, actor=request.user, unit=unit)
        if (status.open if t.name == "submit" else access.reviews(request.user, unit))
    ]
    return render(
        request,
        "reporting/report_detail.html",
        {
            **unit_page(unit=unit),
            "period": p,
            "report": report,
            "kind_slug": kind,
            "status": status,
            "contents": contents,
            "rows": selectors.report_rows(contents, p.kind),
            "unverified_values": marked_values(contents),
            "equipment": selectors.equipment_lines(contents),
            "consolidation": consolidation,
            "count": selectors.status_count(consolidation) if consolidation else None,
            "form": form
            or (ManualNumbersForm(instance=report) if can_write and status.open else None),
            "transitions": transitions,
            "transition_form": transition_form,
            "actions": report.actions.select_related("actor") if report.pk else [],
            # The province's police reopen their communes and districts; an administrator the
            # province itself (access.can_grant_exception).
            "can_unlock": access.can_grant_exception(request.user, unit)
            and not status.open
            and not report.is_sent,
            "lock_form": LockExceptionForm(),
            "slugs": SLUG_OF,
        },
    )


@require_POST
def report_save(request, pk: int, kind: str, period: str):
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    writer = Perm.SUBMIT_REPORT if unit.level == Level.COMMUNE else Perm.CONSOLIDATE_REPORTS
    if not can(request.user, unit, writer):
        raise PermissionDenied(_("Vai trò của bạn không được nhập báo cáo của đơn vị này."))
    # Validate against the stored report (or an unsaved one) so that bad input writes nothing.
    form = ManualNumbersForm(request.POST, instance=selectors.report_or_unsaved(unit, p))
    done = submit(
        request,
        form,
        lambda d: services.report_update_manual(
            report=form.instance,  # stored by the service only if the save is allowed
            values={k: d[k] for k in form.Meta.fields},
            version=d["version"],
            actor=request.user,
        ),
        success=_("Đã lưu số liệu."),
        redirect_to=reverse("report-detail", args=[unit.pk, kind, p.key]),
        conflict=EditConflict,
        rebind=lambda data, conflict: ManualNumbersForm(data, instance=conflict.obj),
    )
    if done.conflict:
        done.form.add_error(None, str(done.conflict))
    return done.response or _report_detail(request, pk, kind, period, form=done.form)


@require_POST
def report_transition(request, pk: int, kind: str, period: str):
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    writer = Perm.SUBMIT_REPORT if unit.level == Level.COMMUNE else Perm.CONSOLIDATE_REPORTS
    if not (can(request.user, unit, writer) or access.reviews(request.user, unit)):
        raise PermissionDenied(_("Vai trò của bạn chỉ được xem báo cáo của đơn vị này."))
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise Http404
    report = selectors.report_or_unsaved(unit, p)  # stored by the service if the action is
    back = reverse("report-detail", args=[unit.pk, kind, p.key])
    return submit(
        request,
        form,
        lambda d: services.report_transition(
            report=report,
            action=d["action"],
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"],
        ),
        success=lambda report: _("Báo cáo: %(state)s.") % {"state": report.get_state_display()},
        redirect_to=back,
        errors=Errors.MESSAGES,
        error_redirect=back,
    ).response


@require_POST
def lock_exception(request, pk: int, kind: str, period: str):
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    form = LockExceptionForm(request.POST)
    back = reverse("report-detail", args=[unit.pk, kind, p.key])
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do và ngày mở đến (ngày/tháng/năm)."))
        return redirect(back)
    return submit(
        request,
        form,
        lambda d: services.lock_exception_grant(
            unit=unit,
            kind=p.kind,
            period=p,
            reason=d["reason"],
            until=d["until"],
            actor=request.user,
        ),
        success=_("Đã mở lại nhập liệu cho đơn vị."),
        redirect_to=back,
        errors=Errors.MESSAGES,
        error_redirect=back,
    ).response


@require_safe
def report_pdf(request, pk: int, kind: str, period: str):
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    if selectors.is_upper(unit):
        # Above one commune the PDF takes seconds (7–10 s for a province): made in the
        # background with a progress page, and served again while the data are unchanged.
        job = jobs.start(user=request.user, unit=unit, period=p, document="consolidated")
        return redirect("document-job", pk=job.pk)
    report = selectors.report_or_unsaved(unit, p)
    content, filename = documents.report_pdf(report=report, period=p)
    return pdf_response(content, filename)


@require_safe
def report_xlsx(request, pk: int, kind: str, period: str):
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    exporter, filename = documents.report_exporter(
        report=selectors.report_or_unsaved(unit, p), period=p
    )
    return xlsx_response(exporter, filename)


@require_POST
def roster_annex(request, pk: int, kind: str, period: str):
    """The list of every member under the unit, as a PDF annex made in the background."""
    unit = access_unit(request.user, pk)
    p = _period(kind, period, unit)
    job = jobs.start(user=request.user, unit=unit, period=p, document="annex")
    return redirect("document-job", pk=job.pk)


# The progress page, restart and download of the background documents (core.job_views).
document_job, document_restart, document_download = job_views(
    access=access_job,
    restart=jobs.restart,
    template="reporting/document_job.html",
    url_names=JobUrls("document-job", "document-restart", "document-download"),
)


@require_safe
def dashboard(request, pk: int):
    unit = access_unit(request.user, pk)
    if not selectors.is_upper(unit):
        raise Http404(_("Bảng tổng hợp dành cho cấp huyện, cấp tỉnh."))
    today = timezone.localdate()
    periods = selectors.periods_for(unit, PeriodKind.MONTHLY, today)
    if not periods:
        raise Http404(_("Đơn vị không có kỳ báo cáo nào."))
    key = request.GET.get("ky") or periods[min(1, len(periods) - 1)].key
    p = _period("thang", key, unit)
    consolidation = selectors.consolidation(unit=unit, period=p)
    year = p.year if p.month != 1 else p.year - 1
    return render(
        request,
        "reporting/dashboard.html",
        {
            **unit_page(unit=unit),
            "period": p,
            "periods": periods,
            "consolidation": consolidation,
            "groups": selectors.status_groups(consolidation, request.GET.get("trang-thai", "")),
            "status": request.GET.get("trang-thai", ""),
            "count": selectors.status_count(consolidation),
            "quota_chart": selectors.quota_chart(consolidation),
            "spending_chart": selectors.spending_chart(unit=unit, year=year),
            "insurance_chart": selectors.insurance_chart(unit=unit, year=year),
            "on_time_chart": selectors.on_time_chart(unit=unit, year=year, today=today),
            "can_unlock": access.can_grant_exception(request.user, unit),
            "today": today,
        },
    )


# --- Training and equipment -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def training(request, pk: int):
    commune = access_commune(request.user, pk)
    editable = can(request.user, commune, Perm.EDIT_ROSTER)
    form = CourseForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Chỉ cán bộ cấp xã ghi nhận lớp huấn luyện của xã mình."))
        done = submit(
            request,
            form,
            lambda d: services.course_create(
                commune=commune,
                name=d["name"],
                organiser=d["organiser"],
                start=d["start_date"],
                end=d["end_date"],
                actor=request.user,
            ),
            redirect_to=lambda course: reverse("training-course", args=[course.pk]),
        )
        if done.response:
            return done.response
    return render(
        request,
        "reporting/training.html",
        {
            **unit_page(unit=commune),
            "courses": commune.training_courses.all(),
            "form": form,
            "editable": editable,
            **selectors.training_counts(commune=commune),
        },
    )


@require_http_methods(["GET", "POST"])
def training_course(request, pk: int):
    course = access_course(request.user, pk)
    editable = can(request.user, course.commune, Perm.EDIT_ROSTER)
    eligible = list(selectors.course_eligible(course))
    results = {r.membership_id: r for r in course.results.all()}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Chỉ cán bộ cấp xã ghi nhận kết quả huấn luyện."))
        outcomes = {m.pk: request.POST.get(f"ket-qua-{m.pk}", "") for m in eligible}
        done = submit(
            request,
            None,
            lambda _d: services.course_results_set(
                course=course, outcomes=outcomes, actor=request.user
            ),
            success=lambda n: _("Đã lưu kết quả: %(n)s người.") % {"n": n},
            redirect_to=reverse("training-course", args=[course.pk]),
            errors=Errors.MESSAGES,  # and the page again, with what was ticked
        )
        if done.response:
            return done.response
    return render(
        request,
        "reporting/training_course.html",
        {
            **unit_page(unit=course.commune),
            "course": course,
            "editable": editable,
            "rows": [(m, results.get(m.pk)) for m in eligible],
            "outcomes": TrainingResult.Outcome.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def team_equipment(request, pk: int):
    team = access_team(request.user, pk)
    editable = can(request.user, team.commune, Perm.EDIT_ROSTER)
    equipment = selectors.team_equipment(team=team, on=timezone.localdate())
    form = EquipmentForm(request.POST or None, items=ITEMS, held=equipment.held)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Chỉ cán bộ cấp xã cập nhật trang bị của Tổ."))
        done = submit(
            request,
            form,
            lambda d: services.equipment_set(team=team, quantities=d, actor=request.user),
            success=_("Đã lưu trang bị hiện có."),
            redirect_to=reverse("team-equipment", args=[team.pk]),
        )
        if done.response:
            return done.response
    return render(
        request,
        "reporting/team_equipment.html",
        {
            **unit_page(unit=team.commune),
            "team": team,
            "form": form,
            "editable": editable,
            "needs": equipment.needs,
            "members": equipment.members,
        },
    )
