"""What the 2025 carry-over asks of people (core.inbox): a new commune whose predecessors had
teams, not carried over yet (or reopened for a correction), waits for its officer. The
province-wide run is the provincial police's tool, not a step that waits for them, so it is not
listed.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.inbox import WorkItem, provider
from teams.access import Perm, work_communes
from teams.models import AdministrativeUnit, Team, Tree

from .models import CarryOver, CarryOverState

GROUP = gettext_lazy("Chuyển giao sau sắp xếp đơn vị hành chính")
TREE_CHANGE = datetime.date(2025, 7, 1)  # Resolution 190/2025/QH15: the new communes begin


@provider
def carry_over_work(actor, today: datetime.date) -> list[WorkItem]:
    mine = [c.pk for c in work_communes(actor, Perm.CARRY_OVER, today) if c.tree == Tree.CURRENT]
    if not mine:
        return []
    old_teams = Team.objects.filter(commune__succession_as_predecessor__successor=OuterRef("pk"))
    confirmed = CarryOver.objects.filter(commune=OuterRef("pk"), state=CarryOverState.CONFIRMED)
    reopened = CarryOver.objects.filter(commune=OuterRef("pk"), state=CarryOverState.REOPENED)
    communes = (
        AdministrativeUnit.objects.filter(Exists(old_teams), ~Exists(confirmed), pk__in=mine)
        .annotate(reopened=Exists(reopened))
        .order_by("path")
    )
    return [
        WorkItem(
            unit_name=commune.name,
            title=_("Tiếp nhận Tổ bảo vệ ANTT của các xã cũ"),
            action=_("Xác nhận lại phương án chuyển giao")
            if commune.reopened
            else _("Lập phương án và xác nhận chuyển giao"),
            url=reverse("carryover-commune", args=[commune.pk]),
            since=TREE_CHANGE,
            note=_("Đã mở lại để điều chỉnh.")
            if commune.reopened
            else _("Khu dân cư, Tổ, thành viên của các xã cũ chưa được chuyển sang xã mới."),
            group=GROUP,
        )
        for commune in communes
    ]
