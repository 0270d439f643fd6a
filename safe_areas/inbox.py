"""What the "An toàn về an ninh, trật tự" year asks of people (core.inbox).

The commune police register the residential areas for the year (in quarter I, Circular
124/2021/TT-BCA Art. 8), send each area's self-assessment once the evaluation period is over,
and review it; the commune People's Committee decides; the deciding unit above decides on the
commune's own year. A registered area is work again only when its period has ended (there is
nothing to assess before), so the inbox does not carry every area all year.
"""

from __future__ import annotations

import datetime
from operator import attrgetter

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import (
    WorkItem,
    action_label,
    local_day,
    provider,
    returned_note,
    waiting_transitions,
    with_last_step,
)
from teams.access import Perm, has_work, work_communes, work_scope_q
from teams.models import AdministrativeUnit, ResidentialArea

from .models import AreaYear, CommuneYear, YearState, area_year_of, area_year_window
from .services import AREA_FLOW, COMMUNE_FLOW

GROUP = gettext_lazy("An toàn về an ninh, trật tự")


@provider
def safe_area_work(actor, today: datetime.date) -> list[WorkItem]:
    return (
        areas_to_register(actor, today)
        + area_years_waiting(actor, today)
        + commune_years_waiting(actor, today)
    )


def _note(obj) -> str:
    return str(returned_note(obj, YearState.RETURNED, YearState(obj.state).label))


def area_years_waiting(actor, today: datetime.date) -> list[WorkItem]:
    if not has_work(actor, AREA_FLOW.perms):
        return []
    current = area_year_of(today)
    years = with_last_step(
        AreaYear.objects.select_related("area", "commune").exclude(
            state=YearState.REGISTERED,
            year__gte=current,  # its period is not over yet
        )
    )
    items = []
    for area_year, transitions in waiting_transitions(
        AREA_FLOW,
        years,
        actor=actor,
        unit_of=attrgetter("commune"),
        scope=lambda perm: work_scope_q(actor, perm, path_field="commune__path"),
    ):
        if all(t.name == "return" for t in transitions):
            # A reviewed year waits for the Committee's decision; that the commune police
            # may still take it back is an option on its page, not work waiting for them.
            continue
        items.append(
            WorkItem(
                unit_name=area_year.commune.name,
                title=_("%(area)s: năm %(year)s")
                % {"area": area_year.area.name, "year": area_year.year},
                action=action_label(transitions),
                url=reverse("safe-area-year", args=[area_year.area_id, area_year.year]),
                since=local_day(area_year.waiting_since) or area_year.window.end,
                note=_note(area_year),
                group=GROUP,
            )
        )
    return items


def commune_years_waiting(actor, today: datetime.date) -> list[WorkItem]:
    if not has_work(actor, COMMUNE_FLOW.perms):
        return []
    years = with_last_step(
        CommuneYear.objects.select_related("commune").exclude(
            state=YearState.REGISTERED, year__gte=area_year_of(today)
        )
    )

    def scope(perm):
        # The commune sends its file; the deciding unit (read from the tree) decides.
        path = "commune__path" if perm == Perm.SAFE_AREAS_ENTER else "deciding_unit__path"
        return work_scope_q(actor, perm, path_field=path)

    items = []
    for commune_year, transitions in waiting_transitions(
        COMMUNE_FLOW, years, actor=actor, unit_of=attrgetter("commune"), scope=scope
    ):
        items.append(
            WorkItem(
                unit_name=commune_year.commune.name,
                title=_("Xã đạt tiêu chuẩn «An toàn về ANTT» năm %(year)s")
                % {"year": commune_year.year},
                action=action_label(transitions),
                url=reverse("safe-commune-year", args=[commune_year.commune_id, commune_year.year]),
                since=local_day(commune_year.waiting_since) or commune_year.window.end,
                note=_note(commune_year),
                group=GROUP,
            )
        )
    return items


def areas_to_register(actor, today: datetime.date) -> list[WorkItem]:
    """One item per commune with residential areas not registered for this year, due at the
    end of quarter I."""
    mine = work_communes(actor, Perm.SAFE_AREAS_ENTER, today)
    if not mine:
        return []
    year = area_year_of(today)
    window = area_year_window(year)
    due = window.quarter_one.last_day
    registered = AreaYear.objects.filter(area=OuterRef("pk"), year=year)
    communes = (
        AdministrativeUnit.objects.filter(pk__in=[c.pk for c in mine])
        .annotate(
            unregistered=Count(
                "residential_areas",
                filter=~Q(residential_areas__in=ResidentialArea.objects.filter(Exists(registered))),
            )
        )
        .filter(unregistered__gt=0)
        .order_by("path")
    )
    return [
        WorkItem(
            unit_name=commune.name,
            title=_("Đăng ký «An toàn về ANTT» năm %(year)s") % {"year": year},
            action=_("Đăng ký khu dân cư"),
            # The year to register, not the page's default (the latest year whose period ended).
            url=f"{reverse('safe-areas', args=[commune.pk])}?nam={year}",
            due=due,
            since=window.start,
            note=ngettext(
                "%(n)s khu dân cư chưa đăng ký.",
                "%(n)s khu dân cư chưa đăng ký.",
                commune.unregistered,
            )
            % {"n": commune.unregistered},
            late=today > due,
            group=GROUP,
        )
        for commune in communes
    ]
