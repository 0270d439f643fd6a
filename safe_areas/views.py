"""Pages of the "An toàn về an ninh, trật tự" work: a commune's overview by year, a residential
area's year (registration, events, self-assessment, review, decision), agencies, enterprises
and schools, self-management models and the commune's own year. Views are thin: objects come
through the access helpers (404 when not yours), writes go through core.views.submit to the
services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import pdf_response, render_pdf
from core.exporters import xlsx_response
from core.views import Errors, submit
from rules.safe_areas import Kind
from teams.access import Perm, access_area, access_commune, access_unit, can
from teams.selectors import unit_page

from . import documents, selectors, services
from .access import access_area_year, access_commune_year, access_establishment, access_model
from .exporters import SummaryExporter
from .forms import (
    AssessmentForm,
    CommuneAssessmentForm,
    CommuneRegistrationForm,
    EstablishmentDecisionForm,
    EstablishmentForm,
    EstablishmentYearForm,
    EventForm,
    ModelForm,
    ModelRecognitionForm,
    RegistrationForm,
    TransitionForm,
)
from .models import YearState, unit_year_window

STATE_PILL = {
    YearState.RECOGNISED: "ok",
    YearState.NOT_RECOGNISED: "err",
    YearState.RETURNED: "err",
}


def _year(request) -> int:
    """The year asked for (?nam=2025), or the latest one whose period has ended."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return selectors.current_year()
    return year if year in selectors.years_offered() else selectors.current_year()


def _check_year(year: int) -> int:
    if year not in selectors.years_offered():
        raise Http404(_("Năm này không thuộc kế hoạch 2025–2030."))
    return year


@require_safe
def commune_overview(request, pk: int):
    commune = access_commune(request.user, pk)
    year = _year(request)
    rows = selectors.commune_area_rows(commune=commune, year=year)
    return render(
        request,
        "safe_areas/commune.html",
        {
            **unit_page(unit=commune),
            "year": year,
            "years": selectors.years_offered(),
            "rows": rows,
            "unregistered": selectors.unregistered(rows),
            "establishments": selectors.commune_establishments(commune=commune, year=year),
            "share": selectors.share_for(commune=commune, year=year),
            "can_enter": can(request.user, commune, Perm.SAFE_AREAS_ENTER),
            "establishment_form": EstablishmentForm(),
            "pill": STATE_PILL,
        },
    )


# --- A residential area's year -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def area_year(request, pk: int, year: int):
    """The year's page; a POST is the registration (quarter I)."""
    _check_year(year)
    area = access_area(
        request.user, pk, Perm.SAFE_AREAS_ENTER if request.method == "POST" else Perm.VIEW
    )
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        initial={"households_registered": area.households},
    )
    done = submit(
        request,
        form,
        lambda d: services.area_year_register(
            area=area, year=year, data=services.RegistrationData(**d), actor=request.user
        ),
        success=_("Đã ghi đăng ký của khu dân cư."),
        redirect_to=reverse("safe-area-year", args=[area.pk, year]),
    )
    if done.response:
        return done.response
    return _area_page(request, area, year, registration_form=form)


def _area_page(request, area, year, **forms):
    page = selectors.area_year_page(area=area, year=year)
    commune = area.commune
    area_year = page.area_year
    can_enter = can(request.user, commune, Perm.SAFE_AREAS_ENTER)
    open_year = area_year is not None and not area_year.is_decided
    event_criteria = [c for c in page.criteria if c.kind == Kind.EVENT]
    assessed = [c for c in page.criteria if c.kind != Kind.REGISTRATION]
    context = {
        **unit_page(unit=commune),
        "area": area,
        "year": year,
        "years": selectors.years_offered(),
        "page": page,
        "area_year": area_year,
        "can_enter": can_enter,
        "open_year": open_year,
        "period_over": timezone.localdate() > page.window.end,
        "transitions": services.AREA_FLOW.available(area_year, actor=request.user, unit=commune)
        if area_year
        else [],
        "registration_form": forms.get("registration_form") or RegistrationForm(),
        "event_form": forms.get("event_form") or EventForm(criteria=event_criteria),
        "assessment_form": forms.get("assessment_form")
        or AssessmentForm(
            criteria=assessed,
            answers=page.answers,
            initial={"seen_state": area_year.state if area_year else ""},
        ),
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "models": selectors.area_models(area=area),
        "pill": STATE_PILL.get(YearState(area_year.state), "warn") if area_year else "",
    }
    return render(request, "safe_areas/area_year.html", context)


@require_POST
def area_event(request, pk: int):
    area_year = access_area_year(request.user, pk, Perm.SAFE_AREAS_ENTER)
    criteria = [
        c
        for c in selectors.area_criteria(area_year.commune, area_year.year)
        if c.kind == Kind.EVENT
    ]
    form = EventForm(request.POST, criteria=criteria)
    done = submit(
        request,
        form,
        lambda d: services.area_event_record(area_year=area_year, actor=request.user, **d),
        success=_("Đã ghi vụ việc; tiêu chí liên quan chưa đạt trong năm."),
        redirect_to=reverse("safe-area-year", args=[area_year.area_id, area_year.year]),
    )
    return done.response or _area_page(request, area_year.area, area_year.year, event_form=form)


@require_POST
def area_assess(request, pk: int):
    area_year = access_area_year(request.user, pk, Perm.SAFE_AREAS_ENTER)
    criteria = [
        c
        for c in selectors.area_criteria(area_year.commune, area_year.year)
        if c.kind != Kind.REGISTRATION
    ]
    form = AssessmentForm(request.POST, criteria=criteria)
    done = submit(
        request,
        form,
        lambda d: services.area_assess(
            area_year=area_year,
            answers=form.answers(),
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"] or None,
        ),
        success=_("Đã gửi bản tự đánh giá lên xã."),
        redirect_to=reverse("safe-area-year", args=[area_year.area_id, area_year.year]),
        errors=Errors.TOP_OF_FORM,
    )
    return done.response or _area_page(
        request, area_year.area, area_year.year, assessment_form=form
    )


@require_POST
def area_transition(request, pk: int):
    area_year = access_area_year(request.user, pk)
    form = TransitionForm(request.POST)
    done = submit(
        request,
        form,
        lambda d: services.area_year_transition(
            area_year=area_year,
            action=d["action"],
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"] or None,
            decision=services.DecisionData(
                d["decision_number"], d["decision_date"], d["decision_signer"]
            ),
        ),
        success=lambda y: (
            _("Đã ghi: hồ sơ năm %(year)s chuyển sang «%(state)s».")
            % {"year": y.year, "state": y.get_state_display()}
        ),
        redirect_to=reverse("safe-area-year", args=[area_year.area_id, area_year.year]),
        errors=Errors.TOP_OF_FORM,
    )
    return done.response or _area_page(
        request, area_year.area, area_year.year, transition_form=form
    )


@require_safe
def area_certificate(request, pk: int):
    """The Giấy công nhận (PDF) of a recognised area; 404 while the year is not recognised."""
    area_year = access_area_year(request.user, pk)
    if area_year.state != YearState.RECOGNISED:
        raise Http404(_("Khu dân cư chưa được công nhận năm này: chưa có giấy công nhận."))
    content = render_pdf(
        "pdf/safe_areas/certificate.html", selectors.certificate_context(area_year=area_year)
    )
    return pdf_response(content, f"Giay cong nhan {area_year.area.name} {area_year.year}")


# --- Agencies, enterprises, schools ---------------------------------------------------------------


@require_POST
def establishment_add(request, pk: int):
    commune = access_commune(request.user, pk, Perm.SAFE_AREAS_ENTER)
    form = EstablishmentForm(request.POST)
    done = submit(
        request,
        form,
        lambda d: services.establishment_save(commune=commune, **d),
        success=_("Đã thêm vào danh sách."),
        redirect_to=lambda e: reverse("safe-establishment", args=[e.pk]),
        errors=Errors.MESSAGES,
        error_redirect=reverse("safe-areas", args=[commune.pk]) + "#co-so",
    )
    if done.response:
        return done.response
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(reverse("safe-areas", args=[commune.pk]) + "#co-so")


@require_http_methods(["GET", "POST"])
def establishment(request, pk: int):
    """Edit the record; register it for a year; record the commune's decision (step=…)."""
    est = access_establishment(request.user, pk)
    commune = est.commune
    year = _year(request)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    edit_form = EstablishmentForm(
        request.POST if step == "edit" else None,
        initial={"name": est.name, "kind": est.kind, "address": est.address, "active": est.active},
    )
    year_form = EstablishmentYearForm(request.POST if step == "register" else None)
    decision_form = EstablishmentDecisionForm(request.POST if step == "decide" else None)
    here = reverse("safe-establishment", args=[est.pk]) + f"?nam={year}"
    if step:
        perm = Perm.SAFE_AREAS_DECIDE if step == "decide" else Perm.SAFE_AREAS_ENTER
        access_establishment(request.user, pk, perm)
        this_year = est.years.filter(year=year).first()
        actions = {
            "edit": (
                edit_form,
                lambda d: services.establishment_save(commune=commune, establishment=est, **d),
            ),
            "register": (
                year_form,
                lambda d: services.establishment_year_register(
                    establishment=est, year=year, registered_on=d["registered_on"]
                ),
            ),
            "decide": (
                decision_form,
                lambda d: _establishment_decide(this_year, d),
            ),
        }
        if step not in actions:
            raise Http404(_("Thao tác không hợp lệ."))
        form, save = actions[step]
        done = submit(request, form, save, success=_("Đã ghi."), redirect_to=here)
        if done.response:
            return done.response
    return render(
        request,
        "safe_areas/establishment.html",
        {
            **unit_page(unit=commune),
            "establishment": est,
            "year": year,
            "years": selectors.years_offered(),
            "window": unit_year_window(year),
            "this_year": est.years.filter(year=year).first(),
            "history": est.years.all(),
            "edit_form": edit_form,
            "year_form": year_form,
            "decision_form": decision_form,
            "can_enter": can(request.user, commune, Perm.SAFE_AREAS_ENTER),
            "can_decide": can(request.user, commune, Perm.SAFE_AREAS_DECIDE),
        },
    )


def _establishment_decide(this_year, d):
    if this_year is None:
        raise ValidationError(_("Chưa đăng ký năm này: đăng ký trước rồi mới quyết định."))
    return services.establishment_year_decide(
        establishment_year=this_year,
        recognised=d["recognised"] == "1",
        decision=services.DecisionData(
            d["decision_number"], d["decision_date"], d["decision_signer"]
        ),
    )


# --- Self-management models ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def area_models(request, pk: int):
    area = access_area(
        request.user, pk, Perm.SAFE_AREAS_ENTER if request.method == "POST" else Perm.VIEW
    )
    form = ModelForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        form,
        lambda d: services.model_save(area=area, data=services.ModelData(**d), actor=request.user),
        success=_("Đã thêm mô hình tự quản."),
        redirect_to=reverse("safe-models", args=[area.pk]),
    )
    if done.response:
        return done.response
    return render(
        request,
        "safe_areas/models.html",
        {
            **unit_page(unit=area.commune),
            "area": area,
            "models": selectors.area_models(area=area),
            "form": form,
            "can_enter": can(request.user, area.commune, Perm.SAFE_AREAS_ENTER),
        },
    )


@require_http_methods(["GET", "POST"])
def model_detail(request, pk: int):
    model = access_model(
        request.user, pk, Perm.SAFE_AREAS_ENTER if request.method == "POST" else Perm.VIEW
    )
    step = request.POST.get("step", "") if request.method == "POST" else ""
    edit_form = ModelForm(
        request.POST if step == "edit" else None,
        initial={
            f: getattr(model, f)
            for f in ("name", "field", "started_on", "ended_on", "households_signed", "status")
        },
    )
    recognition_form = ModelRecognitionForm(request.POST if step == "recognise" else None)
    here = reverse("safe-model", args=[model.pk])
    if step == "edit":
        done = submit(
            request,
            edit_form,
            lambda d: services.model_save(
                area=model.area, data=services.ModelData(**d), actor=request.user, model=model
            ),
            success=_("Đã lưu."),
            redirect_to=here,
        )
    elif step == "recognise":
        done = submit(
            request,
            recognition_form,
            lambda d: services.model_recognise(
                model=model, number=d["recognition_number"], on=d["recognition_date"]
            ),
            success=_("Đã ghi quyết định công nhận mô hình."),
            redirect_to=here,
        )
    elif step:
        raise Http404(_("Thao tác không hợp lệ."))
    else:
        done = None
    if done and done.response:
        return done.response
    return render(
        request,
        "safe_areas/model.html",
        {
            **unit_page(unit=model.commune),
            "model": model,
            "area": model.area,
            "edit_form": edit_form,
            "recognition_form": recognition_form,
            "can_enter": can(request.user, model.commune, Perm.SAFE_AREAS_ENTER),
        },
    )


# --- Consolidation and documents -------------------------------------------------------------------


@require_safe
def summary(request, pk: int):
    """A commune's, district's or province's year: areas registered, recognised, failed by
    criterion, models by field, year over year; with the PDF and XLSX of the same figures."""
    unit = access_unit(request.user, pk)
    year = _year(request)
    context = documents.summary_context(actor=request.user, unit=unit, year=year)
    return render(
        request,
        "safe_areas/summary.html",
        {
            **unit_page(unit=unit),
            **context,
            **documents.charts(context["summary"]),
            "years": selectors.years_offered(),
        },
    )


@require_safe
def summary_pdf(request, pk: int):
    unit = access_unit(request.user, pk)
    year = _year(request)
    content = render_pdf(
        "pdf/safe_areas/summary.html",
        documents.summary_context(actor=request.user, unit=unit, year=year),
    )
    return pdf_response(content, f"Tong hop an toan ANTT {unit.name} {year}")


@require_safe
def summary_xlsx(request, pk: int):
    unit = access_unit(request.user, pk)
    year = _year(request)
    data = selectors.summary(actor=request.user, unit=unit, year=year)
    return xlsx_response(SummaryExporter(data), f"Tong hop an toan ANTT {unit.name} {year}")


@require_safe
def commune_report(request, pk: int):
    """The commune's yearly report on the 2025–2030 plan (seed 003)."""
    commune = access_commune(request.user, pk)
    year = _year(request)
    content = render_pdf(
        "pdf/safe_areas/commune_report.html",
        documents.commune_report_context(commune=commune, year=year),
    )
    return pdf_response(content, f"Bao cao an toan ANTT {commune.name} {year}")


# --- The commune's own year --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def commune_year(request, pk: int, year: int):
    _check_year(year)
    commune = access_commune(
        request.user, pk, Perm.SAFE_AREAS_ENTER if request.method == "POST" else Perm.VIEW
    )
    cy = selectors.commune_year_of(commune=commune, year=year)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    registration_form = CommuneRegistrationForm(request.POST if step == "register" else None)
    assessment_form = CommuneAssessmentForm(
        request.POST if step == "assess" else None,
        initial={
            "seen_state": cy.state if cy else "",
            "disciplined_officers": cy.disciplined_officers if cy else None,
            "criteria_met": None
            if cy is None or cy.criteria_met is None
            else ("1" if cy.criteria_met else "0"),
            "evidence": cy.evidence if cy else "",
        },
    )
    here = reverse("safe-commune-year", args=[commune.pk, year])
    if step == "register":
        done = submit(
            request,
            registration_form,
            lambda d: services.commune_year_register(
                commune=commune,
                year=year,
                data=services.CommuneRegistrationData(**d),
                actor=request.user,
            ),
            success=_("Đã ghi đăng ký của xã."),
            redirect_to=here,
        )
    elif step == "assess":
        if cy is None:
            raise Http404(_("Xã chưa đăng ký năm này."))
        done = submit(
            request,
            assessment_form,
            lambda d: services.commune_year_assess(
                commune_year=cy,
                disciplined_officers=d["disciplined_officers"],
                criteria_met=d["criteria_met"] == "1",
                evidence=d["evidence"],
                actor=request.user,
                seen_state=d["seen_state"] or None,
            ),
            success=_("Đã gửi hồ sơ đề nghị công nhận."),
            redirect_to=here,
            errors=Errors.TOP_OF_FORM,
        )
    elif step:
        raise Http404(_("Thao tác không hợp lệ."))
    else:
        done = None
    if done and done.response:
        return done.response
    return _commune_year_page(
        request, commune, year, cy, registration_form, assessment_form, TransitionForm()
    )


def _commune_year_page(request, commune, year, cy, registration_form, assessment_form, tform):
    deciding_unit = cy.deciding_unit if cy else selectors.deciding_unit_for(commune)
    return render(
        request,
        "safe_areas/commune_year.html",
        {
            **unit_page(unit=commune),
            "year": year,
            "years": selectors.years_offered(),
            "window": unit_year_window(year),
            "commune_year": cy,
            "deciding_unit": deciding_unit,
            "evaluation": selectors.commune_evaluation(commune=commune, year=year, commune_year=cy),
            "share": selectors.share_for(commune=commune, year=year),
            "effective_models": selectors.effective_models(commune=commune, year=year),
            "actions": cy.actions.select_related("actor") if cy else [],
            "transitions": services.COMMUNE_FLOW.available(
                cy, actor=request.user, unit=deciding_unit
            )
            if cy
            else [],
            "registration_form": registration_form,
            "assessment_form": assessment_form,
            "transition_form": tform,
            "can_enter": can(request.user, commune, Perm.SAFE_AREAS_ENTER),
            "pill": STATE_PILL.get(YearState(cy.state), "warn") if cy else "",
        },
    )


@require_POST
def commune_year_transition(request, pk: int):
    cy = access_commune_year(request.user, pk)
    form = TransitionForm(request.POST)
    done = submit(
        request,
        form,
        lambda d: services.commune_year_transition(
            commune_year=cy,
            action=d["action"],
            actor=request.user,
            comment=d["comment"],
            seen_state=d["seen_state"] or None,
            decision=services.DecisionData(
                d["decision_number"], d["decision_date"], d["decision_signer"]
            ),
        ),
        success=lambda y: (
            _("Đã ghi: hồ sơ của xã năm %(year)s chuyển sang «%(state)s».")
            % {"year": y.year, "state": y.get_state_display()}
        ),
        redirect_to=reverse("safe-commune-year", args=[cy.commune_id, cy.year]),
        errors=Errors.TOP_OF_FORM,
    )
    if done.response:
        return done.response
    return _commune_year_page(
        request,
        cy.commune,
        cy.year,
        cy,
        CommuneRegistrationForm(),
        CommuneAssessmentForm(),
        form,
    )
