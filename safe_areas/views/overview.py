"""A commune's overview of a year: its residential areas and where each one stands."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from teams.access import Perm, access_commune, can
from teams.selectors import unit_page

from .. import selectors
from ..forms import (
    EstablishmentForm,
)
from ._base import STATE_PILL, _year


@require_safe
def commune_overview(request, pk: int):
    commune = access_commune(request.user, pk)
    year = _year(request)
    rows = selectors.commune_area_rows(commune=commune, year=year)
    return render(
        request,
        "safe_areas/commune.html",
        {
            **unit_page(unit=commune),
            "year": year,
            "years": selectors.years_offered(),
            "rows": rows,
            "unregistered": selectors.unregistered(rows),
            "establishments": selectors.commune_establishments(commune=commune, year=year),
            "share": selectors.share_for(commune=commune, year=year),
            "can_enter": can(request.user, commune, Perm.SAFE_AREAS_ENTER),
            "establishment_form": EstablishmentForm(),
            "pill": STATE_PILL,
        },
    )
