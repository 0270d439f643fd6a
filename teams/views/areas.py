"""Residential areas of a commune: add, edit."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import forms, services
from ..access import (
    Perm,
    access_area,
    access_commune,
)
from ._base import _context, _rebind, _submit


@require_http_methods(["GET", "POST"])
def area_create(request, pk: int):
    commune = access_commune(request.user, pk, Perm.EDIT_ROSTER)
    form = forms.AreaCreateForm(request.POST if request.method == "POST" else None)
    done = _submit(
        request,
        form,
        lambda c: services.area_create(commune=commune, data=_area_data(form), actor=request.user),
        success=lambda area: _("Đã thêm khu dân cư %(name)s.") % {"name": area.name},
        redirect_to=reverse("unit-detail", args=[commune.pk]) + "#khu-dan-cu",
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/area_form.html",
        _context(request, commune, form=form, title=_("Thêm khu dân cư")),
    )


def _area_data(form) -> services.AreaData:
    c = form.cleaned_data
    return services.AreaData(
        name=c.get("name") or "",
        kind=c.get("kind") or "",
        households=c.get("households"),
        residents=c.get("residents"),
        village_type=c.get("village_type"),
    )


@require_http_methods(["GET", "POST"])
def area_edit(request, pk: int):
    area = access_area(request.user, pk, Perm.EDIT_ROSTER)
    commune = area.commune
    initial = {
        "name": area.name,
        "kind": area.kind,
        "households": area.households,
        "residents": area.residents,
        "village_type": area.village_type,
        "version": area.version,
    }
    form = forms.AreaForm(request.POST if request.method == "POST" else None, initial=initial)
    done = _submit(
        request,
        form,
        lambda c: services.area_update(
            area=area, data=_area_data(form), version=c["version"], actor=request.user
        ),
        success=lambda _area: _("Đã lưu khu dân cư %(name)s.") % {"name": area.name},
        redirect_to=reverse("unit-detail", args=[commune.pk]) + "#khu-dan-cu",
        rebind=_rebind(forms.AreaForm),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/area_form.html",
        _context(
            request,
            commune,
            form=done.form,
            area=area,
            conflict=done.conflict,
            title=_("Sửa khu dân cư %(name)s") % {"name": area.name},
        ),
    )
