"""Pages of insurance support: a commune's quarterly lists and enrolments, a list with its
lines and steps, the official list (PDF, XLSX), the BHXH / finance queue, enrolment of a member
and incident support. Logic lives in services/selectors; every object comes through an access
helper (404 when not yours)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import SYNC_ROW_LIMIT, pdf_response, render_pdf
from core.exporters import xlsx_response
from core.forms import attach_errors
from core.views import Errors, submit
from teams.access import Perm, access_commune, access_person, can
from teams.models import Membership
from teams.selectors import unit_page

from . import selectors, services
from .access import access_funding_list, access_incident, access_incident_document
from .exporters import FundingListExporter
from .forms import (
    CertificateForm,
    DocumentForm,
    FundingTransitionForm,
    HiForm,
    IncidentForm,
    IncidentTransitionForm,
    QuarterForm,
    VsiForm,
)
from .models import HiEnrolment, ListState, VsiEnrolment

STATE_PILL = {
    ListState.APPROVED: "ok",
    ListState.ADVANCED: "ok",
    ListState.SETTLED: "ok",
    ListState.RETURNED: "err",
}


@require_safe
def commune_lists(request, pk: int):
    commune = access_commune(request.user, pk)
    today = timezone.localdate()
    quarters = selectors.quarters_for(commune, today)
    lists = selectors.commune_lists(commune=commune)
    for item in lists:
        item.pill = STATE_PILL.get(item.state, "warn")
    done = {item.quarter for item in lists}
    suggested = next(
        (q for q in reversed(quarters) if q not in done), quarters[0] if quarters else None
    )
    return render(
        request,
        "insurance/commune_lists.html",
        {
            **unit_page(unit=commune),
            "lists": lists,
            "enrolments": selectors.enrolment_rows(commune=commune, today=today),
            "incidents": selectors.commune_incidents(commune=commune)[:20],
            "can_prepare": can(request.user, commune, Perm.PREPARE_INSURANCE),
            "can_compute": can(request.user, commune, Perm.PREPARE_INSURANCE) and quarters,
            "form": QuarterForm(
                quarters=quarters,
                initial={"quarter": suggested.isoformat() if suggested else None},
            ),
        },
    )


@require_POST
def list_compute(request, pk: int):
    commune = access_commune(request.user, pk, Perm.PREPARE_INSURANCE)
    form = QuarterForm(request.POST, quarters=selectors.quarters_for(commune, timezone.localdate()))
    if not form.is_valid():
        messages.error(request, _("Chọn quý trong danh sách."))
        return redirect("insurance-lists", pk=commune.pk)
    return submit(
        request,
        form,
        lambda d: services.funding_list_compute(
            commune=commune, quarter=d["quarter"], actor=request.user
        ),
        success=lambda funding_list: (
            _("Đã lập danh sách %(quarter)s.") % {"quarter": funding_list.quarter_label}
        ),
        redirect_to=lambda funding_list: reverse("insurance-list", args=[funding_list.pk]),
        errors=Errors.MESSAGES,
        error_redirect=reverse("insurance-lists", args=[commune.pk]),
    ).response


@require_safe
def list_detail(request, pk: int):
    return _list_detail(request, pk)


def _list_detail(request, pk: int, form: FundingTransitionForm | None = None):
    funding_list = access_funding_list(request.user, pk)
    sheet = selectors.list_sheet(funding_list=funding_list)
    errors_only = request.GET.get("loi") == "1"
    return render(
        request,
        "insurance/list_detail.html",
        {
            "funding_list": funding_list,
            "sheet": sheet,
            "page": selectors.list_page(sheet, request.GET.get("page"), errors_only=errors_only),
            "errors_only": errors_only,
            "query": "loi=1" if errors_only else "",
            **unit_page(unit=funding_list.commune),
            "transitions": services.FUNDING_FLOW.available(
                funding_list, actor=request.user, unit=funding_list.commune
            ),
            "actions": funding_list.actions.select_related("actor"),
            "can_compute": funding_list.is_open
            and can(request.user, funding_list.commune, Perm.PREPARE_INSURANCE),
            "form": form
            or FundingTransitionForm(
                initial={
                    "seen_state": funding_list.state,
                    "day": timezone.localdate(),
                    "amount": sheet.requested,
                }
            ),
            "state_pill": STATE_PILL.get(funding_list.state, "warn"),
        },
    )


@require_POST
def list_transition(request, pk: int):
    funding_list = access_funding_list(request.user, pk)
    done = submit(
        request,
        FundingTransitionForm(request.POST),
        lambda d: services.funding_list_transition(
            funding_list=funding_list,
            action=d["action"],
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"],
            document_number=d["document_number"],
            day=d["day"],
            amount=d["amount"],
        ),
        success=lambda _list: (
            _("Danh sách %(quarter)s: %(state)s.")
            % {"quarter": funding_list.quarter_label, "state": funding_list.get_state_display()}
        ),
        redirect_to=reverse("insurance-list", args=[funding_list.pk]),
        errors=Errors.TOP_OF_FORM,
    )
    return done.response or _list_detail(request, pk, form=done.form)


def _filename(funding_list) -> str:
    return (
        f"Danh sach BHXH BHYT {funding_list.commune.name} "
        f"Q{funding_list.quarter_number}-{funding_list.quarter.year}"
    )


@require_safe
def list_pdf(request, pk: int):
    funding_list = access_funding_list(request.user, pk)
    context = selectors.quarterly_list_context(funding_list=funding_list)
    if len(context["sheet"].rows) > SYNC_ROW_LIMIT:
        messages.error(
            request, _("Danh sách quá dài để tạo ngay (hơn %(n)s người).") % {"n": SYNC_ROW_LIMIT}
        )
        return redirect("insurance-list", pk=funding_list.pk)
    content = render_pdf("pdf/insurance/funding_list.html", context)
    return pdf_response(content, _filename(funding_list))


@require_safe
def list_xlsx(request, pk: int):
    funding_list = access_funding_list(request.user, pk)
    return xlsx_response(
        FundingListExporter(selectors.list_sheet(funding_list=funding_list)),
        _filename(funding_list),
    )


@require_safe
def queue(request):
    if not selectors.queue_perms(request.user):
        raise PermissionDenied(
            _("Danh sách chờ xử lý dành cho cán bộ bảo hiểm xã hội và cán bộ tài chính.")
        )
    lists = selectors.work_queue(actor=request.user)
    return render(
        request,
        "insurance/queue.html",
        {
            "lists": lists,
            "communes": selectors.totals_per_commune(lists),
            "total": selectors.requested_total(lists),
        },
    )


# --- Enrolment ------------------------------------------------------------------------------


def _enrolment_initial(person):
    vsi = VsiEnrolment.objects.filter(person=person).first()
    hi = HiEnrolment.objects.filter(person=person).first()
    vsi_initial: dict[str, object] = {
        "enrolled": False,
        "payment_mode": 1,
        "months_supported_before": 0,
    }
    if vsi:
        vsi_initial = {
            "enrolled": True,
            "book_number": vsi.book_number,
            "income": vsi.income,
            "payment_mode": vsi.payment_mode,
            "start_date": vsi.start_date,
            "end_date": vsi.end_date,
            "months_supported_before": vsi.months_supported_before,
            "island": {True: "yes", False: "no", None: ""}[vsi.island],
        }
    hi_initial: dict[str, object] = {"enrolled": False}
    if hi:
        hi_initial = {
            "enrolled": True,
            "card_number": hi.card_number,
            "group": hi.group,
            "household_position": hi.household_position or "",
            "start_date": hi.start_date,
            "end_date": hi.end_date,
        }
    return vsi_initial, hi_initial


@require_http_methods(["GET", "POST"])
def enrolment_edit(request, pk: int):
    person = access_person(request.user, pk, Perm.PREPARE_INSURANCE)
    commune = person.home_membership.team.commune
    vsi_initial, hi_initial = _enrolment_initial(person)
    vsi_form = VsiForm(prefix="vsi", initial=vsi_initial)
    hi_form = HiForm(prefix="hi", initial=hi_initial)
    certificate_form = CertificateForm(prefix="cert")
    if request.method == "POST":
        if "certificate" in request.POST:
            certificate_form = CertificateForm(request.POST, prefix="cert")
            done = submit(
                request,
                certificate_form,
                lambda d: services.certificate_add(person=person, **d),
                success=_("Đã thêm giấy chứng nhận."),
                redirect_to=reverse("insurance-enrolment", args=[person.pk]),
            )
            if done.response:
                return done.response
        else:
            vsi_form = VsiForm(request.POST, prefix="vsi")
            hi_form = HiForm(request.POST, prefix="hi")
            if (
                vsi_form.is_valid()
                and hi_form.is_valid()
                and _save_enrolments(request, person, commune, vsi_form, hi_form)
            ):
                messages.success(request, _("Đã lưu đăng ký BHXH tự nguyện, BHYT."))
                return redirect("insurance-lists", pk=commune.pk)
    return render(
        request,
        "insurance/enrolment_form.html",
        {
            **unit_page(unit=commune),
            "person": person,
            "vsi_form": vsi_form,
            "hi_form": hi_form,
            "certificate_form": certificate_form,
            "certificates": person.certificates.all(),
        },
    )


def _save_enrolments(request, person, commune, vsi_form, hi_form) -> bool:
    v, h = vsi_form.cleaned_data, hi_form.cleaned_data
    try:
        services.enrolments_save(
            person=person,
            commune=commune,
            vsi=services.VsiData(
                income=v["income"],
                payment_mode=v["payment_mode"],
                start_date=v["start_date"],
                end_date=v["end_date"],
                months_supported_before=v["months_supported_before"] or 0,
                book_number=v["book_number"],
                island=v["island"],
            )
            if v["enrolled"]
            else None,
            hi=services.HiData(
                card_number=h["card_number"],
                group=h["group"],
                start_date=h["start_date"],
                end_date=h["end_date"],
                household_position=h["household_position"],
            )
            if h["enrolled"]
            else None,
            actor=request.user,
        )
    except ValidationError as exc:
        fields = getattr(exc, "error_dict", {})
        target = hi_form if "card_number" in fields else vsi_form
        attach_errors(target, exc)
        return False
    return True


# --- Incidents ------------------------------------------------------------------------------


def _memberships(commune):
    return (
        Membership.objects.filter(team__commune=commune)
        .select_related("person", "team")
        .order_by("team__name", "person__search_name")
    )


@require_http_methods(["GET", "POST"])
def incident_create(request, pk: int):
    commune = access_commune(request.user, pk, Perm.PREPARE_INSURANCE)
    form = IncidentForm(request.POST or None, memberships=_memberships(commune))
    done = submit(
        request,
        form,
        lambda d: services.incident_save(data=_incident_data(d), actor=request.user),
        success=_("Đã ghi nhận; đính kèm giấy tờ rồi gửi duyệt."),
        redirect_to=lambda incident: reverse("insurance-incident", args=[incident.pk]),
    )
    if done.response:
        return done.response
    return render(
        request, "insurance/incident_form.html", {**unit_page(unit=commune), "form": form}
    )


def _incident_data(d: dict) -> services.IncidentData:
    return services.IncidentData(
        membership=d["membership"],
        kind=d["kind"],
        occurred_on=d["occurred_on"],
        description=d["description"],
        medical_costs=d["medical_costs"] or 0,
        inpatient_days=d["inpatient_days"] or 0,
        capacity_loss=d["capacity_loss"] or 0,
    )


@require_http_methods(["GET", "POST"])
def incident_edit(request, pk: int):
    """Correct a case while the commune holds it (drafted or returned)."""
    incident = access_incident(request.user, pk, Perm.PREPARE_INSURANCE)
    commune = incident.commune
    if not incident.is_open:
        raise PermissionDenied(
            _("Hồ sơ đang ở trạng thái «%(state)s»: không sửa được.")
            % {"state": incident.get_state_display()}
        )
    initial = {
        "membership": incident.membership_id,
        "kind": incident.kind,
        "occurred_on": incident.occurred_on,
        "description": incident.description,
        "medical_costs": incident.medical_costs,
        "inpatient_days": incident.inpatient_days,
        "capacity_loss": incident.capacity_loss,
    }
    form = IncidentForm(request.POST or None, initial=initial, memberships=_memberships(commune))
    done = submit(
        request,
        form,
        lambda d: services.incident_save(
            data=_incident_data(d), actor=request.user, incident=incident
        ),
        success=_("Đã lưu hồ sơ."),
        redirect_to=reverse("insurance-incident", args=[incident.pk]),
    )
    if done.response:
        return done.response
    return render(
        request,
        "insurance/incident_form.html",
        {**unit_page(unit=commune), "form": form, "incident": incident},
    )


@require_safe
def incident_detail(request, pk: int):
    return _incident_detail(request, pk)


def _incident_detail(request, pk: int, transition_form=None, document_form=None):
    incident = access_incident(request.user, pk)
    commune = incident.commune
    return render(
        request,
        "insurance/incident_detail.html",
        {
            **unit_page(unit=commune),
            "incident": incident,
            "documents": incident.documents.all(),
            "actions": incident.actions.select_related("actor"),
            "transitions": services.INCIDENT_FLOW.available(
                incident, actor=request.user, unit=commune
            ),
            "can_attach": incident.state != "approved"
            and can(request.user, commune, Perm.PREPARE_INSURANCE),
            "form": transition_form
            or IncidentTransitionForm(initial={"seen_state": incident.state}),
            "document_form": document_form or DocumentForm(),
        },
    )


@require_POST
def incident_transition(request, pk: int):
    incident = access_incident(request.user, pk)
    done = submit(
        request,
        IncidentTransitionForm(request.POST),
        lambda d: services.incident_transition(
            incident=incident,
            action=d["action"],
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"],
            decision_number=d["decision_number"],
        ),
        success=lambda _incident: (
            _("Hồ sơ hỗ trợ: %(state)s.") % {"state": incident.get_state_display()}
        ),
        redirect_to=reverse("insurance-incident", args=[incident.pk]),
        errors=Errors.TOP_OF_FORM,
    )
    return done.response or _incident_detail(request, pk, transition_form=done.form)


@require_POST
def incident_document_add(request, pk: int):
    incident = access_incident(request.user, pk, Perm.PREPARE_INSURANCE)
    done = submit(
        request,
        DocumentForm(request.POST, request.FILES),
        lambda d: services.incident_document_add(
            incident=incident, title=d["title"], file=d["file"], actor=request.user
        ),
        success=_("Đã đính kèm giấy tờ."),
        redirect_to=reverse("insurance-incident", args=[incident.pk]),
    )
    return done.response or _incident_detail(request, pk, document_form=done.form)


@require_safe
def incident_document(request, pk: int):
    document = access_incident_document(request.user, pk)
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@require_safe
def incident_pdf(request, pk: int):
    incident = access_incident(request.user, pk)
    content = render_pdf(
        "pdf/insurance/incident_decision.html",
        selectors.incident_decision_context(incident=incident),
    )
    return pdf_response(
        content,
        f"Quyet dinh ho tro {incident.membership.person.full_name} {incident.occurred_on:%d-%m-%Y}",
    )
