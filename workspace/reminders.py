"""Reminder e-mails: each user's work inbox, as the home page shows it.

The e-mail is built from ``core.inbox.work_for`` — the very list of the home page — so the two
never disagree. A user hears when something in their inbox is late or due within `days` days
(or, with ``every=True``, whenever their inbox is not empty: a daily digest).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_date
from core.inbox import Inbox, work_for
from teams.models import Assignment, User


@dataclass
class Digest:
    user: User
    inbox: Inbox

    @property
    def subject(self) -> str:
        n = len(self.inbox)
        what = ngettext("%(n)s việc đang chờ bạn", "%(n)s việc đang chờ bạn", n) % {"n": n}
        if self.inbox.late:
            what += ngettext(", %(n)s việc quá hạn", ", %(n)s việc quá hạn", self.inbox.late) % {
                "n": self.inbox.late
            }
        return "[ANTT] " + what

    def body(self, today: datetime.date) -> str:
        site = settings.SITE_URL.rstrip("/")
        lines = [_("Kính gửi: %(name)s,") % {"name": self.user}, ""]
        lines.append(_("Việc cần làm ngày %(day)s:") % {"day": format_date(today)})
        for group, items in self.inbox.groups():
            lines += ["", str(group)]
            for item in items:
                when = (
                    _("hạn %(day)s") % {"day": format_date(item.due)}
                    if item.due
                    else _("từ %(day)s") % {"day": format_date(item.since)}
                )
                late = " — " + _("QUÁ HẠN") if item.late else ""
                lines.append(f"- {item.title} · {item.unit_name}: {item.action} ({when}){late}")
                if item.note:
                    lines.append(f"  {item.note}")
                lines.append(f"  {site}{item.url}")
        lines += [
            "",
            _("Xem tất cả: %(link)s") % {"link": site + "/viec-can-lam/"},
            "",
            _("Thư tự động của hệ thống quản lý Tổ bảo vệ ANTT ở cơ sở; vui lòng không trả lời."),
        ]
        return "\n".join(lines)


def is_pressing(inbox: Inbox, today: datetime.date, days: int) -> bool:
    """Something is late, or due within `days` days."""
    return any(
        item.late or (item.due is not None and (item.due - today).days <= days)
        for item in inbox.items
    )


def digests_due(*, today: datetime.date, days: int, every: bool = False) -> list[Digest]:
    users = User.objects.filter(
        is_active=True, pk__in=Assignment.objects.values("user_id")
    ).order_by("username")
    digests = []
    for user in users:
        inbox = work_for(user, today)
        if inbox.items and (every or is_pressing(inbox, today, days)):
            digests.append(Digest(user, inbox))
    return digests


def digests_send(digests: list[Digest], *, today: datetime.date) -> int:
    messages = [
        (d.subject, d.body(today), settings.DEFAULT_FROM_EMAIL, [d.user.email])
        for d in digests
        if d.user.email
    ]
    if not messages:
        return 0
    return send_mass_mail(messages, fail_silently=False, connection=get_connection())
