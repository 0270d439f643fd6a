"""What the monthly allowance runs ask of people (core.inbox): runs to compute this month,
earlier months that were never computed, drafts to send, runs returned with the reason, runs
waiting for approval or for payment.

Payment is due within the month it is for (domain.md §4, payment deadlines), so a run's due
day is the last day of its month.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from operator import attrgetter

from django.db.models import Count, Exists, Min, OuterRef, Q
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
from core.periods import DateWindow, Month
from teams.access import Perm, has_work, work_communes, work_scope_q
from teams.models import AdministrativeUnit, Membership

from . import selectors
from .models import AllowanceRun, RunState
from .services import RUN_FLOW

GROUP = gettext_lazy("Phụ cấp hằng tháng")


@provider
def allowance_work(actor, today: datetime.date) -> list[WorkItem]:
    return (
        runs_waiting(actor, today)
        + runs_to_compute(actor, today)
        + earlier_months_to_compute(actor, today)
    )


def runs_waiting(actor, today: datetime.date) -> list[WorkItem]:
    if not has_work(actor, RUN_FLOW.perms):
        return []
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
    mine = work_communes(actor, Perm.RUN_ALLOWANCES, today)
    if not mine:
        return []
    month = Month.of(today)
    serving = Membership.objects.filter(
        team__commune=OuterRef("pk"), start_date__lte=month.last_day
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=month.first_day))
    has_run = AllowanceRun.objects.filter(commune=OuterRef("pk"), month=month.first_day)
    communes = AdministrativeUnit.objects.filter(
        Exists(serving), ~Exists(has_run), pk__in=[c.pk for c in mine]
    ).order_by("path")
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


def earlier_months_to_compute(actor, today: datetime.date) -> list[WorkItem]:
    """Communes of the actor with earlier months in which members served and no run was made
    (a carry-over confirmed late, a roster entered late): one item per commune naming the
    months, due at the end of the oldest. Four queries whatever the number of communes: the
    user's assignments, the communes with their first member's start, their runs, and the
    memberships of those that miss a month."""
    if not has_work(actor, [Perm.RUN_ALLOWANCES]):
        return []
    this_month = Month.of(today)
    communes = list(
        AdministrativeUnit.objects.communes()
        .valid_on(today)
        .filter(work_scope_q(actor, Perm.RUN_ALLOWANCES))
        .annotate(first_start=Min("teams__memberships__start_date"))
        .filter(first_start__lt=this_month.first_day)
        .order_by("path")
    )
    if not communes:
        return []
    runs: dict[int, set[datetime.date]] = defaultdict(set)
    for commune_id, month in AllowanceRun.objects.filter(
        commune__in=communes, month__lt=this_month.first_day
    ).values_list("commune_id", "month"):
        runs[commune_id].add(month)
    candidates: dict[int, list[Month]] = {}
    for commune in communes:
        months = [
            Month.of(m)
            for m in selectors.months_for(commune, this_month.previous().first_day)
            if m >= commune.first_start.replace(day=1) and m not in runs[commune.pk]
        ]
        if months:
            candidates[commune.pk] = sorted(months, key=attrgetter("first_day"))
    if not candidates:
        return []
    served: dict[int, list[DateWindow]] = defaultdict(list)
    for commune_id, start, end in Membership.objects.filter(
        team__commune__in=list(candidates)
    ).values_list("team__commune_id", "start_date", "end_date"):
        served[commune_id].append(DateWindow.open_ended(start, end))
    items = []
    for commune in communes:
        missing = [
            m
            for m in candidates.get(commune.pk, [])
            if any(window.overlaps(m.window) for window in served[commune.pk])
        ]
        if missing:
            items.append(_earlier_months_item(commune, missing, today))
    return items


def _earlier_months_item(commune, missing: list[Month], today: datetime.date) -> WorkItem:
    first, last = missing[0], missing[-1]
    span = first.label if first == last else f"{first.label} – {last.label}"
    return WorkItem(
        unit_name=commune.name,
        title=ngettext(
            "Bảng phụ cấp %(n)s tháng chưa lập (%(months)s)",
            "Bảng phụ cấp %(n)s tháng chưa lập (%(months)s)",
            len(missing),
        )
        % {"n": len(missing), "months": span},
        action=_("Tính phụ cấp và gửi duyệt"),
        url=reverse("allowance-runs", args=[commune.pk]),
        due=first.last_day,
        since=first.first_day,
        note=_(
            "Có thành viên tham gia trong các tháng này nhưng chưa lập bảng phụ cấp: chọn từng "
            "tháng, bắt đầu từ tháng %(month)s."
        )
        % {"month": first.label},
        late=today > first.last_day,
        group=GROUP,
    )
