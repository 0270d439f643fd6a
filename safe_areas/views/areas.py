"""A residential area's year: registration, events, self-assessment, review, decision and
the certificate."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import pdf_response, render_pdf
from core.views import Errors, submit
from rules.safe_areas import Kind
from teams.access import Perm, access_area, can
from teams.selectors import unit_page

from .. import selectors, services
from ..access import access_area_year
from ..forms import (
    AssessmentForm,
    EventForm,
    RegistrationForm,
    TransitionForm,
)
from ..models import YearState
from ._base import STATE_PILL, _check_year, transition_step


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
            area_year=area_year, **transition_step(d, request.user)
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
