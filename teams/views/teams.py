"""Teams of a commune: add, edit, dissolve, and the team page with its members."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .. import forms, selectors, services
from ..access import (
    Perm,
    access_commune,
    access_team,
    can,
)
from ..models import ResidentialArea
from ._base import _context, _rebind, _submit


def _team_form_kwargs(commune):
    return {
        "areas": ResidentialArea.objects.filter(commune=commune).order_by("name"),
        "area_teams": selectors.area_teams(commune=commune),
    }


def _team_data(form) -> services.TeamData:
    c = form.cleaned_data
    return services.TeamData(
        name=c.get("name") or "",
        areas=list(c.get("areas") or []),
        decision_number=c.get("decision_number") or "",
        decision_date=c.get("decision_date"),
    )


@require_http_methods(["GET", "POST"])
def team_create(request, pk: int):
    commune = access_commune(request.user, pk, Perm.EDIT_ROSTER)
    initial = {}
    area_id = request.GET.get("khu")
    if area_id and area_id.isdigit():
        area = ResidentialArea.objects.filter(commune=commune, pk=area_id).first()
        if area:
            initial = {"areas": [area.pk], "name": f"Tổ bảo vệ ANTT {area.name}"}
    form = forms.TeamCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        **_team_form_kwargs(commune),
    )
    done = _submit(
        request,
        form,
        lambda c: services.team_create(commune=commune, data=_team_data(form), actor=request.user),
        success=lambda team: _("Đã thành lập %(name)s.") % {"name": team.name},
        redirect_to=lambda team: reverse("team-detail", args=[team.pk]),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/team_form.html",
        _context(request, commune, form=form, title=_("Thành lập Tổ bảo vệ ANTT")),
    )


@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    team = access_team(request.user, pk, Perm.EDIT_ROSTER)
    commune = team.commune
    initial = {
        "name": team.name,
        "areas": [a.pk for a in team.areas.all()],
        "decision_number": team.decision_number,
        "decision_date": team.decision_date,
        "version": team.version,
    }
    kwargs = _team_form_kwargs(commune)
    form = forms.TeamForm(
        request.POST if request.method == "POST" else None, initial=initial, **kwargs
    )
    done = _submit(
        request,
        form,
        lambda c: services.team_update(
            team=team, data=_team_data(form), version=c["version"], actor=request.user
        ),
        success=lambda _team: _("Đã lưu %(name)s.") % {"name": team.name},
        redirect_to=reverse("team-detail", args=[team.pk]),
        rebind=_rebind(forms.TeamForm, **kwargs),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/team_form.html",
        _context(
            request,
            commune,
            form=done.form,
            team=team,
            conflict=done.conflict,
            title=_("Sửa %(name)s") % {"name": team.name},
        ),
    )


@require_http_methods(["GET", "POST"])
def team_dissolve(request, pk: int):
    team = access_team(request.user, pk, Perm.EDIT_ROSTER)
    form = forms.TeamDissolveForm(
        request.POST if request.method == "POST" else None, initial={"version": team.version}
    )
    done = _submit(
        request,
        form,
        lambda c: services.team_dissolve(
            team=team,
            on=c.get("on"),
            decision_number=c.get("decision_number") or "",
            version=c["version"],
            actor=request.user,
        ),
        success=lambda _team: _("Đã ghi nhận giải thể %(name)s.") % {"name": team.name},
        redirect_to=reverse("team-detail", args=[team.pk]),
        rebind=_rebind(forms.TeamDissolveForm),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/team_dissolve.html",
        _context(request, team.commune, form=done.form, team=team, conflict=done.conflict),
    )


@require_safe
def team_detail(request, pk: int):
    team = access_team(request.user, pk)
    commune = team.commune
    active, ended = selectors.team_memberships(team=team)
    return render(
        request,
        "teams/team_detail.html",
        _context(
            request,
            commune,
            team=team,
            row=selectors.team_row(team=team, size=len(active)),
            active=active,
            ended=ended,
            can_edit=can(request.user, commune, Perm.EDIT_ROSTER),
        ),
    )
