"""What grassroots mediation asks of people (core.inbox): remuneration lists to send, approve
or mark paid; yearly reports to send (due before 15/11 by the plan), returned, or waiting for
the justice office to receive them. A fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime
from operator import attrgetter

from django.db.models import Count, Min
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
from core.periods import Quarter
from teams.access import Perm, has_work, work_scope_q
from teams.models import AdministrativeUnit, Level

from .models import (
    MediationCase,
    MediationPlan,
    MediationTeam,
    Outcome,
    PaymentList,
    PayState,
    ReportState,
    YearlyReport,
)
from .services import PAY_FLOW, REPORT_FLOW

GROUP = gettext_lazy("Hòa giải ở cơ sở")


@provider
def mediation_work(actor, today: datetime.date) -> list[WorkItem]:
    return (
        lists_waiting(actor, today)
        + reports_waiting(actor, today)
        + reports_to_send(actor, today)
        + open_cases(actor, today)
    )


def open_cases(actor, today: datetime.date) -> list[WorkItem]:
    """Cases still being mediated, per team: to close with their outcome (the success rate
    and the remuneration count only ended cases). One open case links to itself, several to
    their team's case book."""
    if not has_work(actor, [Perm.EDIT_MEDIATION]):
        return []
    rows = (
        MediationCase.objects.filter(
            work_scope_q(actor, Perm.EDIT_MEDIATION, path_field="team__commune__path"),
            outcome=Outcome.OPEN,
            out_of_scope=False,
        )
        .values("team_id", "team__name", "team__commune__name")
        .annotate(n=Count("pk"), oldest=Min("received_on"), first=Min("pk"))
        .order_by("team__commune__name", "team__name")
    )
    return [
        WorkItem(
            unit_name=row["team__commune__name"],
            title=ngettext(
                "%(team)s: %(n)s vụ việc đang giải quyết",
                "%(team)s: %(n)s vụ việc đang giải quyết",
                row["n"],
            )
            % {"n": row["n"], "team": row["team__name"]},
            action=_("Ghi kết quả khi kết thúc"),
            url=reverse("mediation-case", args=[row["first"]])
            if row["n"] == 1
            else reverse("mediation-team", args=[row["team_id"]]),
            since=row["oldest"],
            group=GROUP,
        )
        for row in rows
    ]


def lists_waiting(actor, today: datetime.date) -> list[WorkItem]:
    if not has_work(actor, PAY_FLOW.perms):
        return []
    items = []
    lists = with_last_step(PaymentList.objects.select_related("commune"))
    for payment_list, transitions in waiting_transitions(
        PAY_FLOW,
        lists,
        actor=actor,
        unit_of=attrgetter("commune"),
        scope=lambda perm: work_scope_q(actor, perm, path_field="commune__path"),
    ):
        q = Quarter.of(payment_list.quarter)
        items.append(
            WorkItem(
                unit_name=payment_list.commune.name,
                title=_("Thù lao hòa giải viên %(q)s") % {"q": q.in_sentence},
                action=action_label(transitions),
                url=reverse("mediation-payment", args=[payment_list.pk]),
                since=local_day(payment_list.waiting_since) or q.last_day,
                note=returned_note(payment_list, PayState.RETURNED),
                group=GROUP,
            )
        )
    return items


def reports_waiting(actor, today: datetime.date) -> list[WorkItem]:
    if not has_work(actor, REPORT_FLOW.perms):
        return []
    items = []
    reports = with_last_step(
        YearlyReport.objects.select_related("unit").exclude(state=ReportState.DRAFT)
    )
    for report, transitions in waiting_transitions(
        REPORT_FLOW,
        reports,
        actor=actor,
        unit_of=attrgetter("unit"),
        scope=lambda perm: work_scope_q(actor, perm, path_field="unit__path"),
    ):
        items.append(
            WorkItem(
                unit_name=report.unit.name,
                title=_("Báo cáo hòa giải ở cơ sở năm %(y)s") % {"y": report.year},
                action=action_label(t for t in transitions if t.name != "send")
                or _("Sửa và gửi lại"),
                url=reverse("mediation-report", args=[report.unit_id, report.year]),
                due=report.due_on,
                since=local_day(report.waiting_since),
                note=returned_note(report, ReportState.RETURNED),
                group=GROUP,
            )
        )
    return items


def reports_to_send(actor, today: datetime.date) -> list[WorkItem]:
    """This year's report of each commune of the justice officer that has mediation teams and
    a plan covering the year, until it is sent."""
    if not has_work(actor, [Perm.EDIT_MEDIATION]):
        return []
    year = today.year
    communes = list(
        AdministrativeUnit.objects.filter(
            work_scope_q(actor, Perm.EDIT_MEDIATION),
            level=Level.COMMUNE,
            pk__in=MediationTeam.objects.values("commune_id"),
        ).exclude(
            pk__in=YearlyReport.objects.filter(year=year)
            .exclude(state=ReportState.DRAFT)
            .values("unit_id")
        )
    )
    if not communes:
        return []
    plans = list(
        MediationPlan.objects.filter(first_year__lte=year, last_year__gte=year).select_related(
            "unit"
        )
    )
    items = []
    for commune in communes:
        plan = next((p for p in plans if commune.path.startswith(p.unit.path)), None)
        if plan is None:
            continue
        due = plan.due_date(year)
        items.append(
            WorkItem(
                unit_name=commune.name,
                title=_("Báo cáo hòa giải ở cơ sở năm %(y)s") % {"y": year},
                action=_("Gửi báo cáo"),
                url=reverse("mediation-report", args=[commune.pk, year]),
                due=due,
                late=today > due,
                group=GROUP,
            )
        )
    return items
