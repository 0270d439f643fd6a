"""What the roster asks of people (core.inbox): a workbook that was checked and never
confirmed. Only the officer who uploaded it may confirm it (teams.access.access_import), so
only they see it; an upload replaced by a later one for the same commune is not work any more.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import WorkItem, local_day, provider

from .access import Perm, has_work, work_scope_q
from .models import RosterImport

GROUP = gettext_lazy("Danh sách Tổ bảo vệ ANTT")


@provider
def roster_work(actor, today: datetime.date) -> list[WorkItem]:
    if not actor.is_authenticated or not has_work(actor, [Perm.EDIT_ROSTER]):
        return []
    replaced = RosterImport.objects.filter(
        commune=OuterRef("commune"), uploaded_by=actor, uploaded_at__gt=OuterRef("uploaded_at")
    )
    uploads = (
        RosterImport.objects.filter(
            work_scope_q(actor, Perm.EDIT_ROSTER, path_field="commune__path"),
            uploaded_by=actor,
            status=RosterImport.Status.CHECKED,
        )
        .filter(~Exists(replaced))
        .select_related("commune")
        .defer("content", "report")
        .order_by("uploaded_at")
    )
    items = []
    for upload in uploads:
        if upload.error_count:
            action = _("Sửa tệp và tải lên lại")
            note = ngettext(
                "Tệp «%(file)s» có %(n)s lỗi.", "Tệp «%(file)s» có %(n)s lỗi.", upload.error_count
            ) % {"file": upload.file_name, "n": upload.error_count}
        else:
            action = _("Xác nhận nhập danh sách")
            note = _("Tệp «%(file)s» đã kiểm tra, chưa nhập.") % {"file": upload.file_name}
        items.append(
            WorkItem(
                unit_name=upload.commune.name,
                title=_("Nhập danh sách từ Excel"),
                action=action,
                url=reverse("roster-import-preview", args=[upload.pk]),
                since=local_day(upload.uploaded_at),
                note=note,
                group=GROUP,
            )
        )
    return items
