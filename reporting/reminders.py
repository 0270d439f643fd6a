"""Report reminders: who still owes a report that is due in a few days or already late.

Run daily from cron (`manage.py send_report_reminders --days 3`): a unit hears once when its
report is due in exactly N days, and every day while it is late and entry is still open (after
the entry lock only the provincial police can reopen it, and they see it on their dashboard).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from core.formatting import format_date
from teams.models import AdministrativeUnit, Assignment, Level, Role

from . import selectors
from .models import Report, ReportState
from .periods import Period, PeriodKind

# Who writes a unit's report: the commune officers of a commune, the police of a district.
REPORTERS: dict[str, str] = {
    Level.COMMUNE: Role.COMMUNE_OFFICER,
    Level.DISTRICT: Role.PROVINCIAL_POLICE,
}
KIND_SLUG = {PeriodKind.MONTHLY: "thang", PeriodKind.ANNUAL: "nam"}


@dataclass
class Reminder:
    unit: AdministrativeUnit
    period: Period
    late: bool
    recipients: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        what = _("Báo cáo %(period)s của %(unit)s") % {
            "period": self.period.label.lower(),
            "unit": self.unit.name,
        }
        if self.late:
            return "[ANTT] " + what + ": " + _("đã quá hạn")
        return (
            "[ANTT] "
            + what
            + ": "
            + _("hạn gửi %(day)s") % {"day": format_date(self.period.last_on_time_day)}
        )

    def body(self, today: datetime.date) -> str:
        link = settings.SITE_URL.rstrip("/") + reverse(
            "report-detail",
            args=[self.unit.pk, KIND_SLUG[self.period.kind], self.period.key],
        )
        due = format_date(self.period.last_on_time_day)
        lines = [
            _("Kính gửi: %(unit)s,") % {"unit": self.unit.name},
            "",
            (
                _(
                    "Báo cáo %(period)s (số liệu từ %(start)s đến %(end)s) phải gửi chậm nhất "
                    "ngày %(due)s, nay đã quá hạn %(days)s ngày và chưa được gửi. Đề nghị hoàn "
                    "thành và gửi ngay; nhập liệu sẽ khóa từ ngày %(locks)s."
                )
                if self.late
                else _(
                    "Báo cáo %(period)s (số liệu từ %(start)s đến %(end)s) cần gửi chậm nhất "
                    "ngày %(due)s (còn %(days)s ngày)."
                )
            )
            % {
                "period": self.period.label.lower(),
                "start": format_date(self.period.window_start),
                "end": format_date(self.period.window_end),
                "due": due,
                "days": abs((self.period.last_on_time_day - today).days),
                "locks": format_date(self.period.locks_on),
            },
            "",
            _("Mở báo cáo: %(link)s") % {"link": link},
            "",
            _("Thư tự động của hệ thống quản lý Tổ bảo vệ ANTT ở cơ sở; vui lòng không trả lời."),
        ]
        return "\n".join(lines)


def _targets(today: datetime.date, days: int) -> list[tuple[Period, bool]]:
    rules = selectors.reporting_rules()
    out = []
    for kind in PeriodKind:
        current = Period.containing(kind, today, rules)
        for period in (current, current.previous()):
            if (period.last_on_time_day - today).days == days:
                out.append((period, False))
            elif period.last_on_time_day < today and not period.is_locked(today):
                out.append((period, True))
    return out


def reminders_due(*, today: datetime.date, days: int) -> list[Reminder]:
    """Units that use the system (someone is assigned to write their report), have not sent
    the report, and whose report is due in `days` days or late. A reminder without recipients
    means the reporters have no e-mail address on file."""
    reporters = [
        a
        for a in Assignment.objects.filter(
            unit__level__in=list(REPORTERS), user__is_active=True
        ).select_related("user", "unit")
        if a.role == REPORTERS[a.unit.level]
    ]
    reminders: list[Reminder] = []
    for period, late in _targets(today, days):
        sent = set(
            Report.objects.filter(
                kind=period.kind,
                period=period.key,
                state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
            ).values_list("unit_id", flat=True)
        )
        owing: dict[int, Reminder] = {}
        for a in sorted(reporters, key=lambda a: a.unit.path):
            unit = a.unit
            if unit.pk in sent or not (
                unit.is_valid_on(today) and unit.is_valid_on(period.window_end)
            ):
                continue
            reminder = owing.setdefault(unit.pk, Reminder(unit, period, late))
            if a.user.email:
                reminder.recipients.append(a.user.email)
        reminders.extend(owing.values())
    return reminders


def reminders_send(reminders: list[Reminder], *, today: datetime.date) -> int:
    """Send one e-mail per unit to its reporters; returns the number of e-mails sent."""
    messages = [
        (r.subject, r.body(today), settings.DEFAULT_FROM_EMAIL, sorted(set(r.recipients)))
        for r in reminders
        if r.recipients
    ]
    if not messages:
        return 0
    return send_mass_mail(messages, fail_silently=False, connection=get_connection())
