"""Mediation teams and their mediators: the unit page (a commune's teams, or the
consolidation above it), creating and editing a team, adding, electing and ending mediators,
consolidating a team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import Errors, submit
from teams.access import access_commune, access_unit, can
from teams.models import Level

from .. import forms, selectors, services
from ..access import access_mediation_team, access_mediator, may_see_parties
from ._base import EDIT, _page, _year


@require_safe
def home(request, pk: int):
    unit = access_unit(request.user, pk)
    year = _year(request)
    window = selectors.year_window(year)
    context = _page(
        unit,
        year=year,
        years=range(selectors.today().year, 2020, -1),
        ind=selectors.indicators(unit=unit, window=window, year=year),
        can_edit=can(request.user, unit, EDIT),
    )
    if unit.level == Level.COMMUNE:
        context["rows"] = selectors.team_rows(commune=unit, year=year)
    else:
        context["children"] = selectors.children_rows(unit=unit, year=year)
    return render(request, "mediation/home.html", context)


@require_http_methods(["GET", "POST"])
def team_create(request, pk: int):
    commune = access_commune(request.user, pk, EDIT)
    form = forms.TeamForm(request.POST or None, areas=commune.residential_areas.order_by("name"))
    done = submit(
        request,
        form,
        lambda d: services.team_save(
            commune=commune,
            data=services.TeamData(
                area=d["area"],
                name=d["name"],
                decision_number=d["decision_number"],
                decision_date=d["decision_date"],
                minority_area=d["minority_area"],
            ),
            actor=request.user,
        ),
        redirect_to=lambda team: reverse("mediation-team", args=[team.pk]),
        success=_("Đã thêm Tổ hòa giải."),
    )
    if done.response:
        return done.response
    if request.method == "POST" and not form.cleaned_data.get("area"):
        form.add_error("area", _("Chọn khu dân cư của Tổ hòa giải."))
    return render(
        request,
        "mediation/form.html",
        _page(
            commune,
            form=done.form,
            title=_("Thêm Tổ hòa giải"),
            back=reverse("mediation-home", args=[commune.pk]),
        ),
    )


@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    """Correct a team's record: its name, its founding decision (number, date), its area."""
    team = access_mediation_team(request.user, pk, EDIT)
    commune = team.commune
    form = forms.TeamForm(
        request.POST or None,
        areas=commune.residential_areas.order_by("name"),
        initial={
            "area": team.area_id,
            "name": team.name,
            "decision_number": team.decision_number,
            "decision_date": team.decision_date,
            "minority_area": team.minority_area,
        },
    )

    def save(d):
        if d["area"] is None:
            raise ValidationError({"area": _("Chọn khu dân cư của Tổ hòa giải.")})
        return services.team_save(
            commune=commune,
            data=services.TeamData(
                area=d["area"],
                name=d["name"] or "",
                decision_number=d["decision_number"] or "",
                decision_date=d["decision_date"],
                minority_area=d["minority_area"],
            ),
            actor=request.user,
            team=team,
        )

    done = submit(
        request,
        form,
        save,
        redirect_to=reverse("mediation-team", args=[team.pk]),
        success=_("Đã lưu thông tin Tổ hòa giải."),
    )
    return done.response or render(
        request,
        "mediation/form.html",
        _page(
            commune,
            team=team,
            form=done.form,
            title=_("Sửa thông tin — %(team)s") % {"team": team.name},
            back=reverse("mediation-team", args=[team.pk]),
        ),
    )


@require_safe
def team_detail(request, pk: int):
    team = access_mediation_team(request.user, pk)
    year = _year(request)
    mediators = selectors.team_mediators(team=team)
    active = team.mediators.filter(ended_on__isnull=True).select_related("person")
    [row] = [
        r for r in selectors.team_rows(commune=team.commune, year=year) if r.team.pk == team.pk
    ]
    return render(
        request,
        "mediation/team_detail.html",
        _page(
            team.commune,
            team=team,
            row=row,
            year=year,
            mediators=mediators,
            elections=selectors.team_elections(team=team),
            consolidations=team.consolidations.all(),
            cases=selectors.cases_of(team=team).order_by("-number")[:200],
            show_parties=may_see_parties(request.user, team.commune),
            can_edit=can(request.user, team.commune, EDIT),
            election_form=forms.ElectionForm(mediators=active),
            consolidation_form=forms.ConsolidationForm(initial={"year": year}),
        ),
    )


@require_http_methods(["GET", "POST"])
def mediator_add(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.MediatorForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda d: services.mediator_add(
            team=team,
            data=services.MediatorData(
                person=form.person_data(),
                list_received_on=d["list_received_on"],
                decision_number=d["decision_number"],
                decision_date=d["decision_date"],
            ),
            actor=request.user,
        ),
        redirect_to=reverse("mediation-team", args=[team.pk]),
        success=_("Đã thêm hòa giải viên."),
    )
    return done.response or render(
        request,
        "mediation/mediator_form.html",
        _page(
            team.commune,
            team=team,
            form=done.form,
            title=_("Thêm hòa giải viên — %(team)s") % {"team": team.name},
        ),
    )


def _team_post(request, team, form, save, success):
    done = submit(
        request,
        form,
        save,
        redirect_to=reverse("mediation-team", args=[team.pk]),
        success=success,
        errors=Errors.MESSAGES,
        error_redirect=reverse("mediation-team", args=[team.pk]),
    )
    if done.response:
        return done.response
    for name, errs in done.form.errors.items():
        for e in errs:
            messages.error(
                request, f"{done.form.fields[name].label}: {e}" if name in done.form.fields else e
            )
    return redirect("mediation-team", team.pk)


@require_POST
def election(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.ElectionForm(request.POST, mediators=team.mediators.filter(ended_on__isnull=True))

    def save(d):
        if d["mediator"] is None:
            raise ValidationError(_("Chọn hòa giải viên được bầu."))
        return services.leader_elect(
            team=team,
            data=services.ElectionData(
                mediator=d["mediator"],
                held_on=d["held_on"],
                votes=d["votes"],
                is_party_secretary=d["is_party_secretary"],
                decision_number=d["decision_number"] or "",
                decision_date=d["decision_date"],
            ),
            actor=request.user,
        )

    return _team_post(request, team, form, save, _("Đã ghi kết quả bầu Tổ trưởng."))


@require_POST
def consolidation(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.ConsolidationForm(request.POST)

    def save(d):
        return services.consolidation_save(
            team=team,
            year=d["year"] or selectors.today().year,
            reviewed_on=d["reviewed_on"],
            proposed_changes=d["proposed_changes"] or "",
            decision_number=d["decision_number"] or "",
            decision_date=d["decision_date"],
            actor=request.user,
        )

    return _team_post(request, team, form, save, _("Đã ghi việc củng cố, kiện toàn."))


@require_http_methods(["GET", "POST"])
def mediator_end(request, pk: int):
    """End a mediator's service from a date, with the reason (Law Art. 11)."""
    mediator = access_mediator(request.user, pk, EDIT)
    form = forms.MediatorEndForm(request.POST or None, initial={"ended_on": selectors.today()})
    done = submit(
        request,
        form,
        lambda d: services.mediator_end(
            mediator=mediator,
            on=d["ended_on"],
            reason=d["end_reason"] or "",
            actor=request.user,
        ),
        redirect_to=reverse("mediation-team", args=[mediator.team.pk]),
        success=_("Đã ghi việc thôi làm hòa giải viên của %(name)s.")
        % {"name": mediator.person.full_name},
        errors=Errors.ON_FORM,
    )
    return done.response or render(
        request,
        "mediation/form.html",
        _page(
            mediator.team.commune,
            team=mediator.team,
            form=done.form,
            title=_("Thôi làm hòa giải viên — %(name)s") % {"name": mediator.person.full_name},
            back=reverse("mediation-mediator", args=[mediator.pk]),
            intro=_(
                "Luật Hòa giải ở cơ sở, Điều 11: Chủ tịch UBND cấp xã quyết định thôi làm hòa giải "
                "viên. Hòa giải viên đang được phân công vụ việc chưa kết thúc cần được thay ở vụ "
                "việc đó trước (Điều 18)."
            ),
        ),
    )


@require_safe
def mediator_detail(request, pk: int):
    mediator = access_mediator(request.user, pk)
    [row] = [m for m in selectors.team_mediators(team=mediator.team) if m.pk == mediator.pk]
    return render(
        request,
        "mediation/mediator_detail.html",
        _page(
            mediator.team.commune,
            team=mediator.team,
            mediator=row,
            roles=selectors.person_mediator_roles(person=mediator.person),
            accidents=mediator.accidents.all(),
            can_edit=can(request.user, mediator.team.commune, EDIT),
        ),
    )
