"""The commune's own year: registration, self-assessment, review and decision."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.views import Errors, submit
from teams.access import Perm, access_commune, can
from teams.selectors import unit_page

from .. import selectors, services
from ..access import access_commune_year
from ..forms import (
    CommuneAssessmentForm,
    CommuneRegistrationForm,
    TransitionForm,
)
from ..models import YearState, unit_year_window
from ._base import STATE_PILL, _check_year, transition_step


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
            commune_year=cy, **transition_step(d, request.user)
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
