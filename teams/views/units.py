from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.i18n import set_language

from .. import selectors
from ..access import Perm, access_unit, can
from ..models import Level

CHILDREN_PER_PAGE = 50


@require_safe
def unit_detail(request, pk: int):
    actor = request.user
    unit = access_unit(actor, pk)
    search = request.GET.get("q", "").strip()
    ancestors = selectors.unit_ancestors(unit=unit)
    predecessors = list(selectors.unit_predecessors(unit=unit))
    successors = list(selectors.unit_successors(unit=unit))
    # Units outside the actor's scope are named (unit names are public) but not linked.
    for a in ancestors:
        a.linkable = can(actor, a, Perm.VIEW)
    for s in predecessors:
        s.linkable = can(actor, s.predecessor, Perm.VIEW)
    for s in successors:
        s.linkable = can(actor, s.successor, Perm.VIEW)
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "predecessors": predecessors,
        "successors": successors,
        "today": timezone.localdate(),
        "search": search,
    }
    if unit.level == Level.COMMUNE:
        areas = list(selectors.commune_areas(commune=unit))
        area_teams = selectors.area_teams(commune=unit)
        for area in areas:
            area.team = area_teams.get(area.pk)
        team_rows = selectors.commune_teams(commune=unit)
        context["areas"] = areas
        context["area_households"] = sum(a.households for a in areas)
        context["team_rows"] = team_rows
        context["members_total"] = sum(r.size for r in team_rows)
        context["can_edit"] = can(actor, unit, Perm.EDIT_ROSTER)
    else:
        children = selectors.unit_children(unit=unit, search=search)
        context["children"] = Paginator(children, CHILDREN_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "teams/unit_detail.html", context)


# The login page offers the language switch too, before anyone has logged in.
language_switch = login_not_required(set_language)
