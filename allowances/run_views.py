"""Pages of the monthly allowance: runs of a commune, a run, its payment list, the finance
queue, the duty log and trying out a new parameter value. Logic lives in services/selectors."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import SYNC_ROW_LIMIT, pdf_response, render_pdf
from core.exporters import xlsx_response
from core.formatting import format_date
from core.forms import error_messages
from core.periods import Month
from core.views import Errors, submit
from rules.catalogue import parameter_label
from rules.national import PARAMETER_KEYS as NATIONAL_KEYS
from rules.registry import REGISTRY, jurisdiction_choices
from teams.access import ROLE_PERMISSIONS, Perm, access_commune, can, user_assignments
from teams.selectors import unit_page

from . import selectors, services
from .access import access_duty_entry, access_run
from .exporters import PaymentListExporter
from .forms import DutyEntryForm, ParameterTrialForm, RunComputeForm, RunTransitionForm
from .models import RunState


@require_safe
def commune_runs(request, pk: int):
    commune = access_commune(request.user, pk)
    today = timezone.localdate()
    months = selectors.months_for(commune, today)
    done = {run.month for run in selectors.commune_runs(commune=commune)}
    suggested = next((m for m in reversed(months) if m not in done), months[0] if months else None)
    return render(
        request,
        "allowances/commune_runs.html",
        {
            **unit_page(unit=commune),
            "today": today,
            "runs": selectors.commune_runs(commune=commune),
            "can_compute": can(request.user, commune, Perm.RUN_ALLOWANCES) and months,
            "form": RunComputeForm(
                months=months, initial={"month": suggested.isoformat() if suggested else None}
            ),
        },
    )


@require_POST
def run_compute(request, pk: int):
    commune = access_commune(request.user, pk, Perm.RUN_ALLOWANCES)
    form = RunComputeForm(request.POST, months=selectors.months_for(commune, timezone.localdate()))
    if not form.is_valid():
        messages.error(request, _("Chọn tháng trong danh sách."))
        return redirect("allowance-runs", pk=commune.pk)
    return submit(
        request,
        form,
        lambda d: services.allowance_run_compute(
            commune=commune, month=d["month"], actor=request.user
        ),
        success=lambda run: (
            _("Đã tính chi trả tháng %(month)s.") % {"month": Month.of(run.month).label}
        ),
        redirect_to=lambda run: reverse("allowance-run", args=[run.pk]),
        errors=Errors.MESSAGES,
        error_redirect=reverse("allowance-runs", args=[commune.pk]),
    ).response


@require_safe
def run_detail(request, pk: int):
    return _run_detail(request, access_run(request.user, pk))


def _run_detail(request, run, form: RunTransitionForm | None = None):
    sheet = selectors.run_sheet(run=run)
    errors_only = request.GET.get("loi") == "1"
    return render(
        request,
        "allowances/run_detail.html",
        {
            "run": run,
            "sheet": sheet,
            "listing": selectors.sheet_page(
                sheet, request.GET.get("page"), errors_only=errors_only
            ),
            "query": "loi=1" if errors_only else "",
            **unit_page(unit=run.commune),
            "stale": run.is_open and services.run_is_stale(run),
            "transitions": services.RUN_FLOW.available(run, actor=request.user, unit=run.commune),
            "actions": run.actions.select_related("actor"),
            "can_compute": run.is_open and can(request.user, run.commune, Perm.RUN_ALLOWANCES),
            "form": form
            or RunTransitionForm(
                initial={"seen_state": run.state, "paid_on": timezone.localdate()}
            ),
            "state_pill": {
                RunState.APPROVED: "ok",
                RunState.PAID: "ok",
                RunState.RETURNED: "err",
            }.get(run.state, "warn"),
        },
    )


@require_POST
def run_transition(request, pk: int):
    run = access_run(request.user, pk)
    if not (
        can(request.user, run.commune, Perm.RUN_ALLOWANCES)
        or can(request.user, run.commune, Perm.APPROVE_ALLOWANCES)
    ):
        raise PermissionDenied(_("Vai trò của bạn chỉ được xem kỳ chi trả này."))
    done = submit(
        request,
        RunTransitionForm(request.POST),
        lambda d: services.allowance_run_transition(
            run=run,
            action=d["action"],
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"],
            payment_reference=d["payment_reference"],
            paid_on=d["paid_on"],
        ),
        success=lambda _run: (
            _("Kỳ chi trả tháng %(month)s: %(state)s.")
            % {"month": Month.of(run.month).label, "state": run.get_state_display()}
        ),
        redirect_to=reverse("allowance-run", args=[run.pk]),
        errors=Errors.TOP_OF_FORM,
    )
    return done.response or _run_detail(request, run, form=done.form)


@require_safe
def run_pdf(request, pk: int):
    run = access_run(request.user, pk)
    context = selectors.payment_list_context(run=run)
    if len(context["sheet"].rows) > SYNC_ROW_LIMIT:
        messages.error(
            request, _("Danh sách quá dài để tạo ngay (hơn %(n)s người).") % {"n": SYNC_ROW_LIMIT}
        )
        return redirect("allowance-run", pk=run.pk)
    content = render_pdf("pdf/allowances/payment_list.html", context)
    return pdf_response(content, f"Danh sach chi tra {run.commune.name} {run.month:%m-%Y}")


@require_safe
def run_xlsx(request, pk: int):
    run = access_run(request.user, pk)
    return xlsx_response(
        PaymentListExporter(selectors.run_sheet(run=run)),
        f"Danh sach chi tra {run.commune.name} {run.month:%m-%Y}",
    )


@require_safe
def approval_queue(request):
    if not (
        request.user.is_superuser
        or any(
            Perm.APPROVE_ALLOWANCES in ROLE_PERMISSIONS[a.role]
            for a in user_assignments(request.user)
        )
    ):
        raise PermissionDenied(_("Danh sách chờ duyệt dành cho cán bộ tài chính."))
    runs = list(selectors.approval_queue(actor=request.user))
    return render(
        request,
        "allowances/approval_queue.html",
        {
            "runs": runs,
            "total": selectors.runs_total(runs),
        },
    )


def _month_param(request, commune) -> datetime.date:
    months = selectors.months_for(commune, timezone.localdate())
    if not months:
        raise Http404(_("Đơn vị chưa có tháng nào để ghi nhận."))
    text = request.GET.get("thang") or request.POST.get("thang")
    try:
        month = datetime.date.fromisoformat(f"{text}-01") if text else months[0]
    except ValueError:
        month = None
    if month not in months:
        raise Http404(_("Tháng không hợp lệ."))
    return month


@require_http_methods(["GET", "POST"])
def duty_log(request, pk: int):
    commune = access_commune(request.user, pk)
    month = _month_param(request, commune)
    editable = can(request.user, commune, Perm.RUN_ALLOWANCES)
    memberships = selectors.memberships_in_month(commune=commune, month=month)
    form = DutyEntryForm(memberships=memberships, initial={"day": min(timezone.localdate(), month)})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Chỉ cán bộ cấp xã ghi nhật ký làm nhiệm vụ."))
        form = DutyEntryForm(request.POST, memberships=memberships)
        done = submit(
            request,
            form,
            lambda d: services.duty_entry_add(
                data=services.DutyData(d["membership"], d["day"], d["kind"], d["units"], d["note"]),
                actor=request.user,
            ),
            success=lambda added: added[1] or _("Đã ghi nhận."),  # (entry, notice)
            redirect_to=f"{request.path}?thang={month:%Y-%m}",
        )
        if done.response:
            return done.response
    return render(
        request,
        "allowances/duty_log.html",
        {
            **unit_page(unit=commune),
            "month": month,
            "months": selectors.months_for(commune, timezone.localdate()),
            "entries": selectors.duty_entries(commune=commune, month=month),
            "form": form,
            "editable": editable,
        },
    )


@require_POST
def duty_entry_delete(request, pk: int):
    entry = access_duty_entry(request.user, pk, Perm.RUN_ALLOWANCES)
    commune, month = entry.membership.team.commune, entry.month
    back = f"{reverse('duty-log', args=[commune.pk])}?thang={month:%Y-%m}"
    return submit(
        request,
        None,
        lambda _d: services.duty_entry_delete(entry=entry, actor=request.user),
        success=lambda notice: notice or _("Đã xóa."),
        redirect_to=back,
        errors=Errors.MESSAGES,
        error_redirect=back,
    ).response


def _may_edit_parameters(user) -> bool:
    return user.is_superuser or any(
        Perm.EDIT_PARAMETERS in ROLE_PERMISSIONS[a.role] for a in user_assignments(user)
    )


def _parameter_keys() -> list[tuple[str, str]]:
    keys = set(NATIONAL_KEYS)
    for entries in REGISTRY.values():
        for entry in entries:
            keys.update(getattr(entry.module, "PARAMETER_KEYS", []))
    return sorted(((k, f"{parameter_label(k)} ({k})") for k in keys), key=lambda kv: kv[1])


@require_http_methods(["GET", "POST"])
def parameter_trial(request):
    """Try a new dated parameter value on chosen months, then save it: approved months then
    get difference lines in the next open run of each commune."""
    if not _may_edit_parameters(request.user):
        raise PermissionDenied(_("Chỉ quản trị viên được nhập giá trị tham số mới."))
    jurisdictions = [("", _("Toàn quốc"))] if request.user.is_superuser else []
    jurisdictions += list(jurisdiction_choices())
    form = ParameterTrialForm(
        request.POST or None, keys=_parameter_keys(), jurisdictions=jurisdictions
    )
    rows = None
    if request.method == "POST" and form.is_valid():
        draft = form.draft()
        if draft.jurisdiction == "" and not request.user.is_superuser:
            raise PermissionDenied(_("Chỉ quản trị viên hệ thống nhập tham số toàn quốc."))
        if "save" in request.POST:
            try:
                parameter, refreshed = services.parameter_save(draft=draft, actor=request.user)
            except ValidationError as exc:
                for message in error_messages(exc):
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "Đã lưu «%(name)s» áp dụng từ %(day)s; tính lại %(n)s kỳ chi trả có truy lĩnh."
                    )
                    % {
                        "name": parameter_label(parameter.key),
                        "day": format_date(parameter.effective_from),
                        "n": len(refreshed),
                    },
                )
                return redirect("parameter-trial")
        rows = services.parameter_preview(draft=draft, months=form.months())
    return render(
        request,
        "allowances/parameter_trial.html",
        {
            "form": form,
            "rows": rows,
            "difference": services.preview_difference(rows) if rows else 0,
        },
    )
