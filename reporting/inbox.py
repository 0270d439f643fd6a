"""What the monthly and annual reports ask of people (core.inbox).

A unit's reporter (the commune officer for a commune; the provincial police for a district or
the province) sees each report of the current and the previous period that is not sent yet and
can still be entered — before its lock or under a lock exception — with its due day and the
days left before entry locks; a returned report shows the reason. Whoever consolidates sees the
reports sent up to them, waiting to be accepted or returned.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.formatting import format_date
from core.inbox import WorkItem, local_day, provider, returned_note, with_last_step
from teams.access import Perm, has_work, user_assignments, work_communes, work_scope_q
from teams.models import AdministrativeUnit, Level

from . import selectors
from .models import LockException, Report, ReportState
from .periods import Period, PeriodKind

GROUP = gettext_lazy("Báo cáo định kỳ")
KIND_SLUG = {PeriodKind.MONTHLY: "thang", PeriodKind.ANNUAL: "nam"}
SENT = (ReportState.SUBMITTED, ReportState.ACCEPTED)


@provider
def report_work(actor, today: datetime.date) -> list[WorkItem]:
    return reports_to_send(actor, today) + reports_to_accept(actor)


def _url(unit_pk: int, period: Period) -> str:
    return reverse("report-detail", args=[unit_pk, KIND_SLUG[period.kind], period.key])


def candidate_periods(today: datetime.date) -> list[Period]:
    """The current period of each kind and the one before it (which may still be open)."""
    rules = selectors.reporting_rules()
    out = []
    for kind in PeriodKind:
        current = Period.containing(kind, today, rules)
        out += [current.previous(), current]
    return out


def reports_to_send(actor, today: datetime.date) -> list[WorkItem]:
    if has_work(actor, [Perm.CONSOLIDATE_REPORTS]):
        units = list(
            AdministrativeUnit.objects.valid_on(today)
            .filter(
                (work_scope_q(actor, Perm.SUBMIT_REPORT) & Q(level=Level.COMMUNE))
                | (work_scope_q(actor, Perm.CONSOLIDATE_REPORTS) & ~Q(level=Level.COMMUNE))
            )
            .order_by("path")
        )
    else:  # a commune's reporter only: the communes the other providers fetched already
        units = work_communes(actor, Perm.SUBMIT_REPORT, today)
    if not units:
        return []
    periods = candidate_periods(today)
    keys = {(p.kind.value, p.key) for p in periods}
    reports = {
        (r.unit_id, r.kind, r.period): r
        for r in with_last_step(
            Report.objects.filter(unit__in=units, period__in={key for _k, key in keys})
        )
    }
    reopened = {
        (e.unit_id, e.kind, e.period): e.until
        for e in LockException.objects.filter(
            unit__in=units, period__in={key for _k, key in keys}, until__gte=today
        )
    }
    items = []
    for unit in units:
        for period in periods:
            if not unit.is_valid_on(period.window_end):
                continue  # the unit did not exist when the window closed (reminders agree)
            key = (unit.pk, period.kind.value, period.key)
            report = reports.get(key)
            if report is not None and report.state in SENT:
                continue
            until = reopened.get(key)
            if period.is_locked(today) and until is None:
                continue
            items.append(_to_send(unit, period, report, until, today))
    return items


def _to_send(unit, period: Period, report, until, today: datetime.date) -> WorkItem:
    due = period.last_on_time_day
    if report is not None and report.state == ReportState.RETURNED:
        note = returned_note(report, ReportState.RETURNED)
    elif until is not None:
        note = _("Được mở lại đến hết ngày %(until)s.") % {"until": format_date(until)}
    elif today <= due:
        days = (due - today).days
        note = ngettext("Còn %(days)s ngày đến hạn.", "Còn %(days)s ngày đến hạn.", days) % {
            "days": days
        }
    else:
        days = (period.locks_on - today).days
        note = ngettext(
            "Quá hạn; còn %(days)s ngày trước khi khóa nhập liệu (%(locks)s).",
            "Quá hạn; còn %(days)s ngày trước khi khóa nhập liệu (%(locks)s).",
            days,
        ) % {"days": days, "locks": format_date(period.locks_on)}
    return WorkItem(
        unit_name=unit.name,
        title=period.display,
        action=_("Lập và gửi báo cáo"),
        url=_url(unit.pk, period),
        due=due,
        since=period.window_start,
        note=note,
        late=today > due,
        group=GROUP,
    )


def reports_to_accept(actor) -> list[WorkItem]:
    """Reports sent up to the actor, waiting to be accepted or returned (not the reports of
    the actor's own units, which go further up)."""
    if not has_work(actor, [Perm.CONSOLIDATE_REPORTS]):
        return []
    own = [a.unit_id for a in user_assignments(actor)]
    reports = (
        Report.objects.filter(
            work_scope_q(actor, Perm.CONSOLIDATE_REPORTS, path_field="unit__path"),
            state=ReportState.SUBMITTED,
        )
        .exclude(unit_id__in=own)
        .select_related("unit")
        .order_by("submitted_at", "unit__path")
    )
    rules = selectors.reporting_rules()
    items = []
    for report in reports:
        period = Period.parse(report.period, rules)
        sent_on = local_day(report.submitted_at)
        items.append(
            WorkItem(
                unit_name=report.unit.name,
                title=period.display,
                action=_("Tiếp nhận / Trả lại"),
                url=_url(report.unit_id, period),
                since=sent_on,
                note=(
                    _("Đã gửi ngày %(day)s (muộn hạn)")
                    if sent_on and period.is_late(sent_on)
                    else _("Đã gửi ngày %(day)s")
                )
                % {"day": format_date(sent_on)},
                group=GROUP,
            )
        )
    return items
