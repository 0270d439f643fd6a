"""Self-management models of a residential area and their recognition."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.views import submit
from teams.access import Perm, access_area, can
from teams.selectors import unit_page

from .. import selectors, services
from ..access import access_model
from ..forms import (
    ModelForm,
    ModelRecognitionForm,
)


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
