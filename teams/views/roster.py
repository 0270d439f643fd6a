"""The roster of a unit: every member below it, filtered, sorted and paged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import forms, selectors
from ..access import (
    Perm,
    access_unit,
    can,
)
from ..models import Level

ROSTER_PER_PAGE = 50


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
