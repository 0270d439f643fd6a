"""Roster pages: residential areas, teams, members. Each view fetches its objects through an
``access_*`` helper (404 for missing or not yours, 403 with the reason for a role that may only
look), parses a form, calls one service and shows what it says."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.formatting import format_date
from core.views import Submission, submit

from . import forms, selectors, services
from .access import (
    Perm,
    access_area,
    access_commune,
    access_membership,
    access_person,
    access_team,
    access_unit,
    can,
    person_home_membership,
)
from .history import entries_for_person
from .models import Level, ResidentialArea

ROSTER_PER_PAGE = 50


def _context(request, commune, **extra):
    return {**selectors.unit_page(unit=commune), "today": timezone.localdate(), **extra}


def _rebind(form_class, **form_kwargs):
    """After an edit conflict: the same form, bound to the officer's input and the newer
    version (core.views.submit)."""
    return lambda data, _conflict: form_class(data, **form_kwargs)


# Roster records carry a version: a save over someone else's newer one is an EditConflict.
_submit = partial(submit, conflict=services.EditConflict)


# --- Residential areas ----------------------------------------------------------------------


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


# --- Teams ----------------------------------------------------------------------------------


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


# --- Members --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    team = access_team(request.user, pk, Perm.EDIT_ROSTER)
    commune = team.commune
    form = forms.MemberAddForm(request.POST if request.method == "POST" else None)

    done = _submit(
        request,
        form,
        lambda c: services.membership_add(
            team=team,
            person=form.person_data(),
            membership=form.membership_data(),
            actor=request.user,
        ),
        success=lambda membership: (
            _("Đã thêm %(name)s vào %(team)s.")
            % {"name": membership.person.full_name, "team": team.name}
        ),
        # "Lưu và thêm tiếp" comes back to an empty form.
        redirect_to=reverse(
            "member-add" if "them-tiep" in request.POST else "team-detail", args=[team.pk]
        ),
    )
    if done.response:
        quota = selectors.team_quota(team=team, on=done.result.start_date)
        if quota.error:
            messages.warning(
                request,
                _("Chưa kiểm tra được số thành viên so với định mức. %(e)s") % {"e": quota.error},
            )
        return done.response
    return render(
        request,
        "teams/member_form.html",
        _context(
            request,
            commune,
            form=form,
            team=team,
            row=selectors.team_row(team=team, size=selectors.team_size(team=team)),
            title=_("Thêm thành viên vào %(team)s") % {"team": team.name},
        ),
    )


@require_safe
def person_detail(request, pk: int):
    person = access_person(request.user, pk)
    memberships = selectors.person_memberships(actor=request.user, person=person)
    active = next((m for m in memberships if m.is_active), None)
    commune = (active or memberships[0]).team.commune
    # The record is maintained by the commune of the active (else latest) membership, which
    # may be one this user cannot see after a move.
    home = person_home_membership(person)
    return render(
        request,
        "teams/person_detail.html",
        _context(
            request,
            commune,
            person=person,
            facts=selectors.record_facts(instance=person, skip=("full_name",)),
            memberships=memberships,
            active=active,
            history=entries_for_person(person, memberships),
            can_edit=can(request.user, home.team.commune, Perm.EDIT_ROSTER),
        ),
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = access_person(request.user, pk, Perm.EDIT_ROSTER)
    commune = person.home_membership.team.commune
    initial = forms.PersonEditForm.initial_for(person) | {"version": person.version}
    form = forms.PersonEditForm(request.POST if request.method == "POST" else None, initial=initial)
    done = _submit(
        request,
        form,
        lambda c: services.person_update(
            person=person, data=form.person_data(), version=c["version"], actor=request.user
        ),
        success=lambda _person: _("Đã lưu hồ sơ %(name)s.") % {"name": person.full_name},
        redirect_to=reverse("person-detail", args=[person.pk]),
        rebind=_rebind(forms.PersonEditForm),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/person_form.html",
        _context(
            request,
            commune,
            form=done.form,
            person=person,
            conflict=done.conflict,
            title=_("Sửa hồ sơ %(name)s") % {"name": person.full_name},
        ),
    )


@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    membership = access_membership(request.user, pk, Perm.EDIT_ROSTER)
    team = membership.team
    initial = forms.MembershipEditForm.initial_for(membership) | {"version": membership.version}
    form = forms.MembershipEditForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    done = (
        _submit(
            request,
            form,
            lambda c: services.membership_update(
                membership=membership,
                data=form.membership_data(),
                version=c["version"],
                actor=request.user,
            ),
            success=_("Đã lưu quá trình tham gia Tổ."),
            redirect_to=reverse("person-detail", args=[membership.person_id]),
            rebind=_rebind(forms.MembershipEditForm),
        )
        if membership.is_active
        else Submission(None)
    )  # an ended membership is shown, not edited
    if done.response:
        return done.response
    return render(
        request,
        "teams/membership_form.html",
        _context(
            request,
            team.commune,
            form=done.form,
            membership=membership,
            team=team,
            person=membership.person,
            conflict=done.conflict,
            title=_("Đính chính thông tin tham gia Tổ của %(name)s")
            % {"name": membership.person.full_name},
        ),
    )


@require_http_methods(["GET", "POST"])
def membership_end(request, pk: int):
    membership = access_membership(request.user, pk, Perm.EDIT_ROSTER)
    form = forms.MembershipEndForm(
        request.POST if request.method == "POST" else None, initial={"version": membership.version}
    )
    done = _submit(
        request,
        form,
        lambda c: services.membership_end(
            membership=membership,
            on=c.get("end_date"),
            ground=c.get("ground") or "",
            decision_number=c.get("decision_number") or "",
            decision_date=c.get("decision_date"),
            version=c["version"],
            actor=request.user,
        ),
        success=lambda _ended: (
            _("Đã ghi nhận %(name)s thôi tham gia %(team)s.")
            % {"name": membership.person.full_name, "team": membership.team.name}
        ),
        redirect_to=reverse("person-detail", args=[membership.person_id]),
        rebind=_rebind(forms.MembershipEndForm),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/membership_end.html",
        _context(
            request,
            membership.team.commune,
            form=done.form,
            membership=membership,
            team=membership.team,
            person=membership.person,
            conflict=done.conflict,
        ),
    )


@require_http_methods(["GET", "POST"])
def membership_transfer(request, pk: int):
    membership = access_membership(request.user, pk, Perm.EDIT_ROSTER)
    team = membership.team
    teams = selectors.commune_active_teams(commune=team.commune)
    form = forms.MembershipTransferForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        current=team,
        initial={"version": membership.version, "role": membership.role, "to_team": team.pk},
    )

    def moved(new) -> str:
        if new.team_id == team.pk:
            return _("Đã ghi nhận %(name)s làm %(role)s từ ngày %(on)s.") % {
                "name": membership.person.full_name,
                "role": new.get_role_display(),
                "on": format_date(new.start_date),
            }
        return _("Đã chuyển %(name)s sang %(team)s.") % {
            "name": membership.person.full_name,
            "team": new.team.name,
        }

    done = _submit(
        request,
        form,
        lambda c: services.membership_transfer(
            membership=membership,
            data=services.TransferData(
                to_team=c.get("to_team"),
                on=c.get("on"),
                role=c.get("role") or "",
                appointment_number=c.get("appointment_number") or "",
                appointment_date=c.get("appointment_date"),
                over_quota_reason=c.get("over_quota_reason") or "",
            ),
            version=c["version"],
            actor=request.user,
        ),
        success=moved,
        redirect_to=reverse("person-detail", args=[membership.person_id]),
        rebind=_rebind(forms.MembershipTransferForm, teams=teams, current=team),
    )
    if done.response:
        return done.response
    return render(
        request,
        "teams/membership_transfer.html",
        _context(
            request,
            team.commune,
            form=done.form,
            membership=membership,
            team=team,
            person=membership.person,
            conflict=done.conflict,
        ),
    )


# --- Lists ----------------------------------------------------------------------------------


def roster_filters(request, unit) -> tuple[forms.RosterFilterForm, selectors.RosterFilters]:
    if unit.level == Level.COMMUNE:
        form = forms.RosterFilterForm(
            request.GET or None, teams=selectors.commune_team_choices(commune=unit)
        )
    else:
        form = forms.RosterFilterForm(
            request.GET or None, units=selectors.roster_unit_choices(unit=unit)
        )
    form.is_valid()  # a value that is not valid is left out, the others still apply
    c = getattr(form, "cleaned_data", {})
    filters = selectors.RosterFilters(
        search=c.get("q") or "",
        team=c.get("team"),
        role=c.get("role") or "",
        status=c.get("status") or selectors.RosterStatus.ACTIVE,
        household=c.get("household") or "",
        post=c.get("post") or "",
        unit=c.get("unit"),
        sort=c.get("sort") or "",
    )
    return form, filters


@require_safe
def roster(request, pk: int):
    """Members of the teams under any unit the user may see: a commune, or a district or
    province for finance, insurance and provincial police users."""
    unit = access_unit(request.user, pk)
    form, filters = roster_filters(request, unit)
    rows = selectors.roster(actor=request.user, unit=unit, filters=filters)
    page = Paginator(rows, ROSTER_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "teams/roster.html",
        {
            **selectors.unit_page(unit=unit),
            "today": timezone.localdate(),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
            "sort": filters.sort,
            # The other parameters, for the "go to page" form.
            "page_jump": [(k, v) for k, values in query.lists() for v in values],
            "can_edit": unit.level == Level.COMMUNE and can(request.user, unit, Perm.EDIT_ROSTER),
            "offset": page.start_index() - 1 if page.paginator.count else 0,
        },
    )
