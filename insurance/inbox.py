"""What the quarterly insurance funding and incident support ask of people (core.inbox).

The funding list passes five hands — the commune prepares it, the social-insurance office
checks and signs, the commune People's Committee signs, finance approves, advances and settles
— and each sees the lists at their step. No text sets a due day for these steps, so the items
carry none and are ordered by how long they have waited; a settlement waits only once its
quarter is over (insurance.selectors.work_queue says the same).
"""

from __future__ import annotations

import datetime
from operator import attrgetter

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.inbox import (
    WorkItem,
    action_label,
    local_day,
    provider,
    returned_note,
    waiting_transitions,
    with_last_step,
)
from core.periods import Quarter
from teams.access import Perm, has_work, work_communes, work_scope_q
from teams.models import AdministrativeUnit, Membership

from .models import FundingList, Incident, IncidentState, ListState
from .services import FUNDING_FLOW, INCIDENT_FLOW

GROUP = gettext_lazy("Bảo hiểm và hỗ trợ rủi ro")


@provider
def insurance_work(actor, today: datetime.date) -> list[WorkItem]:
    return lists_waiting(actor, today) + lists_to_prepare(actor, today) + incidents_waiting(actor)


def _scope(actor):
    return lambda perm: work_scope_q(actor, perm, path_field="commune__path")


def lists_waiting(actor, today: datetime.date) -> list[WorkItem]:
    if not has_work(actor, FUNDING_FLOW.perms):
        return []
    current = Quarter.of(today)
    lists = with_last_step(
        FundingList.objects.select_related("commune").exclude(
            state=ListState.ADVANCED, quarter__gte=current.first_day
        )
    )
    items = []
    for funding_list, transitions in waiting_transitions(
        FUNDING_FLOW, lists, actor=actor, unit_of=attrgetter("commune"), scope=_scope(actor)
    ):
        items.append(
            WorkItem(
                unit_name=funding_list.commune.name,
                title=_("Danh sách BHXH, BHYT %(quarter)s")
                % {"quarter": Quarter.of(funding_list.quarter).in_sentence},
                action=action_label(transitions),
                url=reverse("insurance-list", args=[funding_list.pk]),
                since=local_day(funding_list.waiting_since) or funding_list.quarter,
                note=returned_note(
                    funding_list, ListState.RETURNED, ListState(funding_list.state).label
                ),
                group=GROUP,
            )
        )
    return items


def lists_to_prepare(actor, today: datetime.date) -> list[WorkItem]:
    """Communes of the actor with members serving this quarter who are enrolled in voluntary
    social insurance or health insurance, and no funding list for the quarter yet."""
    mine = work_communes(actor, Perm.PREPARE_INSURANCE, today)
    if not mine:
        return []
    quarter = Quarter.of(today)
    enrolled = (
        Membership.objects.filter(team__commune=OuterRef("pk"), start_date__lte=quarter.last_day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=quarter.first_day))
        .filter(Q(person__vsi__isnull=False) | Q(person__hi__isnull=False))
    )
    has_list = FundingList.objects.filter(commune=OuterRef("pk"), quarter=quarter.first_day)
    communes = AdministrativeUnit.objects.filter(
        Exists(enrolled), ~Exists(has_list), pk__in=[c.pk for c in mine]
    ).order_by("path")
    return [
        WorkItem(
            unit_name=commune.name,
            title=_("Danh sách BHXH, BHYT %(quarter)s") % {"quarter": quarter.in_sentence},
            action=_("Lập danh sách và gửi BHXH kiểm tra"),
            url=reverse("insurance-lists", args=[commune.pk]),
            since=quarter.first_day,
            note=_("Chưa lập danh sách của quý này."),
            group=GROUP,
        )
        for commune in communes
    ]


def incidents_waiting(actor) -> list[WorkItem]:
    if not has_work(actor, INCIDENT_FLOW.perms):
        return []
    incidents = with_last_step(Incident.objects.select_related("commune", "membership__person"))
    items = []
    for incident, transitions in waiting_transitions(
        INCIDENT_FLOW, incidents, actor=actor, unit_of=attrgetter("commune"), scope=_scope(actor)
    ):
        items.append(
            WorkItem(
                unit_name=incident.commune.name,
                title=_("Hỗ trợ rủi ro: %(name)s") % {"name": incident.membership.person.full_name},
                action=action_label(transitions),
                url=reverse("insurance-incident", args=[incident.pk]),
                since=local_day(incident.waiting_since) or incident.occurred_on,
                note=returned_note(
                    incident, IncidentState.RETURNED, IncidentState(incident.state).label
                ),
                group=GROUP,
            )
        )
    return items
