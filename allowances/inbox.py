"""What the monthly allowance runs ask of people (core.inbox): runs to compute this month,
drafts to send, runs returned with the reason, runs waiting for approval or for payment.

Payment is due within the month it is for (domain.md §4, payment deadlines), so a run's due
day is the last day of its month.
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
from core.periods import Month
from teams.access import Perm, work_scope_q
from teams.models import AdministrativeUnit, Membership

from .models import AllowanceRun, RunState
from .services import RUN_FLOW

GROUP = gettext_lazy("Phụ cấp hằng tháng")


@provider
def allowance_work(actor, today: datetime.date) -> list[WorkItem]:
    return runs_waiting(actor, today) + runs_to_compute(actor, today)


def runs_waiting(actor, today: datetime.date) -> list[WorkItem]:
    runs = with_last_step(
        AllowanceRun.objects.select_related("commune").annotate(
            errors=Count("lines", filter=~Q(lines__error=""))
        )
    )
    items = []
    for run, transitions in waiting_transitions(
        RUN_FLOW,
        runs,
        actor=actor,
        unit_of=attrgetter("commune"),
        scope=lambda perm: work_scope_q(actor, perm, path_field="commune__path"),
    ):
        month = Month.of(run.month)
        items.append(
            WorkItem(
                unit_name=run.commune.name,
                title=_("Bảng phụ cấp tháng %(month)s") % {"month": month.label},
                action=action_label(transitions),
                url=reverse("allowance-run", args=[run.pk]),
                due=month.last_day,
                since=local_day(run.waiting_since) or run.month,
                note=_note(run),
                late=today > month.last_day,
                group=GROUP,
            )
        )
    return items


def _note(run) -> str:  # run annotated with last_comment and errors
    if run.state == RunState.RETURNED:
        return str(returned_note(run, RunState.RETURNED))
    if run.state in (RunState.DRAFT, RunState.RETURNED) and run.errors:
        return ngettext(
            "%(n)s dòng chưa áp dụng được quy định: cần bổ sung tham số rồi tính lại.",
            "%(n)s dòng chưa áp dụng được quy định: cần bổ sung tham số rồi tính lại.",
            run.errors,
        ) % {"n": run.errors}
    return str(RunState(run.state).label)


def runs_to_compute(actor, today: datetime.date) -> list[WorkItem]:
    """Communes of the actor that have members serving this month and no run for it yet."""
    month = Month.of(today)
    serving = Membership.objects.filter(
        team__commune=OuterRef("pk"), start_date__lte=month.last_day
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=month.first_day))
    has_run = AllowanceRun.objects.filter(commune=OuterRef("pk"), month=month.first_day)
    communes = (
        AdministrativeUnit.objects.communes()
        .valid_on(today)
        .filter(work_scope_q(actor, Perm.RUN_ALLOWANCES), Exists(serving), ~Exists(has_run))
        .order_by("path")
    )
    return [
        WorkItem(
            unit_name=commune.name,
            title=_("Bảng phụ cấp tháng %(month)s") % {"month": month.label},
            action=_("Tính phụ cấp và gửi duyệt"),
            url=reverse("allowance-runs", args=[commune.pk]),
            due=month.last_day,
            since=month.first_day,
            note=_("Chưa lập bảng phụ cấp của tháng này."),
            group=GROUP,
        )
        for commune in communes
    ]
