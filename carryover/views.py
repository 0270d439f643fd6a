"""Pages of the carry-over: the new commune's mapping form with its preview and confirm
button, the reopen page, and the province page (the default plan in the task worker).

Thin: objects come through the access helpers (404 for another unit's ids, the plan's own ids
included: `forms.check_ids`), reads from `selectors`, writes through `core.views.submit`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.views import Errors, submit
from rules.names import jurisdiction_name
from teams import selectors as team_selectors
from teams.access import Perm, access_commune, access_unit, can, scope_q, user_assignments
from teams.models import AdministrativeUnit, Level, Tree

from . import forms, jobs, selectors, services
from .models import ProvinceJob


def _blocks(sources, values) -> list[dict]:
    """Each predecessor with its rows and what the form shows in them."""
    if values is None:
        return []
    return [
        {
            "source": s,
            "areas": [
                {
                    "area": a,
                    "name": values.area_name.get(a.id, a.name),
                    "households": values.households.get(a.id, ""),
                    "residents": values.residents.get(a.id, ""),
                    "picked": a.id in values.picked,
                }
                for a in s.areas
            ],
            "teams": [{"team": t, "name": values.team_name.get(t.id, t.name)} for t in s.teams],
        }
        for s in sources
    ]


def _leader_groups(plan, sources, values) -> list[dict]:
    """New teams merged from old teams with more than one Tổ trưởng: who leads."""
    if plan is None:
        return []
    teams = {t.id: t for s in sources for t in s.teams}
    groups = []
    for tp in plan.teams:
        leaders = [m for tid in tp.sources for m in teams[tid].members if m.role == "to_truong"]
        if len(leaders) > 1:
            key = tp.name.lower()
            chosen = values.leaders.get(key, "") if values else ""
            groups.append(
                {
                    "name": tp.name,
                    "field": f"leader::{key}",
                    "options": [(m.id, m.name, str(m.id) == chosen) for m in leaders],
                }
            )
    return groups


def _quota_reasons(preview, values) -> list[dict]:
    """Merged teams over their quota: the reason to write before confirming."""
    if preview is None:
        return []
    return [
        {
            "name": team.plan.name,
            "field": f"quota::{team.plan.name.lower()}",
            "value": values.quota_reasons.get(team.plan.name.lower(), "") if values else "",
            "size": team.size,
            "members": team.quota.members,
            "citation": team.quota.result.citation if team.quota.result else "",
        }
        for team in preview.over_quota
    ]


def _preview_rows(preview) -> dict | None:
    """The preview's new areas and teams with the old ones they come from, each named with its
    old commune when there are several ("Khu 1 (Tiên Kiên); Khu 1 (Xuân Lũng)"): the old names
    repeat from one commune to the next."""
    if preview is None or preview.resolved is None:
        return None
    units = {s.unit.pk: selectors.short_name(s.unit.name) for s in preview.sources}

    def label(name: str, unit_id: int) -> str:
        return f"{name} ({units[unit_id]})" if len(units) > 1 else name

    return {
        "areas": [
            (na, "; ".join(label(a.name, a.commune_id) for a in na.sources))
            for na in preview.resolved.areas
        ],
        "teams": [
            (nt, "; ".join(label(t.name, t.commune_id) for t in nt.sources))
            for nt in preview.resolved.teams
        ],
    }


def _context(commune: AdministrativeUnit, **extra) -> dict:
    return {**team_selectors.unit_page(unit=commune), "commune": commune, **extra}


@require_http_methods(["GET", "POST"])
def commune_page(request, pk: int):
    perm = Perm.CARRY_OVER if request.method == "POST" else Perm.VIEW
    commune = access_commune(request.user, pk, perm)
    carry = selectors.carry_over_of(commune)
    sources = selectors.sources_of(commune) if commune.tree == Tree.CURRENT else []
    successors = list(team_selectors.unit_successors(unit=commune))
    may_edit = can(request.user, commune, Perm.CARRY_OVER)
    preview = None
    plan = selectors.default_plan(commune, sources) if sources else None
    values = forms.values_from_plan(plan, sources) if plan else None
    if request.method == "POST":
        if not sources:
            messages.error(
                request,
                _("%(unit)s không có đơn vị cũ nào để chuyển giao.") % {"unit": commune.label},
            )
            return redirect("carryover-commune", pk=commune.pk)
        try:
            plan, values = forms.plan_from_post(request.POST, sources)
        except ValidationError as exc:  # a number typed wrongly: said, nothing changed
            for text in exc.messages:
                messages.error(request, text)
            plan = None
        if plan is not None and request.POST.get("action") == "confirm":
            done = submit(
                request,
                None,
                lambda _data: services.commune_carry_over(
                    commune=commune, plan=plan, actor=request.user
                ),
                errors=Errors.MESSAGES,
                success=lambda c: (
                    _(
                        "Đã chuyển giao: %(areas)s khu dân cư, %(teams)s Tổ, %(members)s thành viên tiếp tục tham gia từ ngày 01/07/2025."
                    )
                    % {
                        "areas": c.summary["areas"],
                        "teams": c.summary["teams"],
                        "members": c.summary["memberships"],
                    }
                ),
                redirect_to=reverse("carryover-commune", args=[commune.pk]),
            )
            if done.response:
                return done.response
        if plan is not None:
            preview = selectors.preview(commune=commune, plan=plan)
    elif plan is not None and not (carry and carry.is_confirmed) and request.GET.get("xem-truoc"):
        preview = selectors.preview(commune=commune, plan=plan)
    options = selectors.jurisdictions_of(sources)
    return render(
        request,
        "carryover/commune.html",
        _context(
            commune,
            carry=carry,
            steps=list(carry.steps.select_related("actor")) if carry else [],
            blockers=services.reopen_blockers(commune) if carry and carry.is_confirmed else [],
            sources=sources,
            successors=successors,
            values=values,
            blocks=_blocks(sources, values),
            leader_groups=_leader_groups(plan, sources, values),
            preview=preview,
            preview_rows=_preview_rows(preview),
            quota_reasons=_quota_reasons(preview, values),
            fingerprint=preview.fingerprint if preview else (plan.fingerprint if plan else ""),
            may_edit=may_edit,
            needs_jurisdiction=bool(sources) and selectors.needs_jurisdiction(commune, sources),
            jurisdiction_options=[(c, f"{c} – {jurisdiction_name(c)}") for c in options],
            created_teams=list(
                commune.teams.filter(pk__in=(carry.created or {}).get("teams", [])).order_by("name")
            )
            if carry and carry.is_confirmed
            else [],
        ),
    )


@require_http_methods(["GET", "POST"])
def reopen(request, pk: int):
    perm = Perm.CARRY_OVER if request.method == "POST" else Perm.VIEW
    commune = access_commune(request.user, pk, perm)
    carry = selectors.carry_over_of(commune)
    form = forms.ReopenForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.carry_over_reopen(
            commune=commune, reason=data["reason"], actor=request.user
        ),
        errors=Errors.TOP_OF_FORM,
        success=_("Đã mở lại chuyển giao: sửa phương án rồi xác nhận lại."),
        redirect_to=reverse("carryover-commune", args=[commune.pk]),
    )
    return done.response or render(
        request,
        "carryover/reopen.html",
        _context(
            commune,
            carry=carry,
            form=done.form,
            blockers=services.reopen_blockers(commune) if carry and carry.is_confirmed else [],
        ),
    )


def _provinces(user):
    """The new-tree provinces where the user may run the province carry-over."""
    if user.is_superuser:
        return list(
            AdministrativeUnit.objects.filter(tree=Tree.CURRENT, level=Level.PROVINCE).order_by(
                "name"
            )
        )
    return sorted(
        {
            a.unit
            for a in user_assignments(user)
            if a.unit.level == Level.PROVINCE
            and a.unit.tree == Tree.CURRENT
            and can(user, a.unit, Perm.CARRY_OVER_PROVINCE)
        },
        key=lambda u: u.name,
    )


@require_http_methods(["GET", "POST"])
def province_page(request):
    if request.method == "POST":
        raw = request.POST.get("province", "")
        if not raw.isdigit() or len(raw) > 18:  # an id a bigint holds (no 5,000-digit int())
            raise Http404(_("Không tìm thấy đơn vị."))
        province = access_unit(request.user, int(raw), Perm.CARRY_OVER_PROVINCE)
        if province.level != Level.PROVINCE or province.tree != Tree.CURRENT:
            raise Http404(_("Chuyển giao theo tỉnh chỉ có ở cấp tỉnh (sau sắp xếp)."))
        form = forms.ProvinceForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: jobs.start(
                user=request.user, province=province, dry_run=bool(data["dry_run"])
            ),
            errors=Errors.MESSAGES,
            success=_("Đã bắt đầu: trang tự cập nhật tiến độ."),
            redirect_to=reverse("carryover-province"),
        )
        if done.response:
            return done.response
    provinces = _provinces(request.user)
    rows = []
    for province in provinces:
        communes = list(selectors.new_communes(province=province).values_list("pk", flat=True))
        carried = selectors.CarryOver.objects.filter(
            commune_id__in=communes, state=selectors.CarryOverState.CONFIRMED
        ).count()
        rows.append({"province": province, "communes": len(communes), "carried": carried})
    job_list = list(
        ProvinceJob.objects.filter(
            scope_q(request.user, path_field="province__path")
        ).select_related("province", "requested_by")[:10]
    )
    running = any(
        j.status in (ProvinceJob.Status.QUEUED, ProvinceJob.Status.RUNNING) for j in job_list
    )
    return render(
        request,
        "carryover/province.html",
        {"rows": rows, "jobs": job_list, "running": running, "may_run": bool(provinces)},
    )
