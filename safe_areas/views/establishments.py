"""Agencies, enterprises and schools: registration and the yearly decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.views import Errors, submit
from teams.access import Perm, access_commune, can
from teams.selectors import unit_page

from .. import selectors, services
from ..access import access_establishment
from ..forms import (
    EstablishmentDecisionForm,
    EstablishmentForm,
    EstablishmentYearForm,
)
from ..models import unit_year_window
from ._base import _year, decision_of


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
        decision=decision_of(d),
    )
