"""Members: add to a team, the person's page and edit, a membership's edit, end and transfer."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.formatting import format_date
from core.views import Submission

from .. import forms, selectors, services
from ..access import (
    Perm,
    access_membership,
    access_person,
    access_team,
    can,
    person_home_membership,
)
from ..history import entries_for_person
from ._base import _context, _rebind, _submit


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
    if done.result is not None:
        quota = selectors.team_quota(team=team, on=done.result.start_date)
        if quota.error:
            messages.warning(
                request,
                _("Chưa kiểm tra được số thành viên so với định mức. %(e)s") % {"e": quota.error},
            )
    if done.response:
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
            can_edit=home is not None and can(request.user, home.team.commune, Perm.EDIT_ROSTER),
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
