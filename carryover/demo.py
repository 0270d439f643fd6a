"""The demo's hand-over into the two-tier tree (issue 13 §6), through the real service.

New Xã Lâm Thao (Phú Thọ) is formed from Thị trấn Lâm Thao and Thị trấn Hùng Sơn. Its officer
`canbo_xa_moi` confirms the default plan on 01/07/2025: every old area kept (the two towns'
"Khu 1" … become "Khu 1 (Lâm Thao)", "Khu 1 (Hùng Sơn)"), every team kept, each serving member's
old membership ended on 30/06/2025 as an administrative transfer and continued from 01/07/2025.
The later parts of seed_demo then give Xã Lâm Thao its runs, insurance lists and reports.
Old Việt Trì's three demo communes go to their successors on the default plan, confirmed by the
administrator, so that no old commune but Xuân Lũng's predecessors still has anyone serving
after 30/06/2025 (those successors get no runs or reports in the demo).

New Xã Xuân Lũng (from Xã Tiên Kiên and old Xã Xuân Lũng) is not carried over: its officer
`canbo_xuanlung` finds it in "Việc cần làm" and does it in the browser (README).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from teams.demo import CARRIED_ON_DEFAULT_PLAN, removal, touched_communes
from teams.models import AdministrativeUnit, Level, Tree, User

from . import selectors, services
from .models import CarryOver, CarryOverStep, ProvinceJob

CARRIED = (Tree.CURRENT, "08494")  # Xã Lâm Thao
OFFICER = "canbo_xa_moi"
# The officer confirmed on the first morning of the new commune.
CONFIRMED_AT = datetime.datetime(2025, 7, 1, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _carry(tree: str, code: str, actor: User) -> dict[str, int]:
    commune = AdministrativeUnit.objects.get(tree=tree, level=Level.COMMUNE, code=code)
    sources = selectors.sources_of(commune)
    carry = services.commune_carry_over(
        commune=commune, plan=selectors.default_plan(commune, sources), actor=actor
    )
    # Dated as it would have been done (the history reads 01/07/2025, not the seed's day).
    CarryOver.objects.filter(pk=carry.pk).update(confirmed_at=CONFIRMED_AT)
    CarryOverStep.objects.filter(carry_over=carry).update(at=CONFIRMED_AT)
    return carry.summary


@transaction.atomic
def seed_carry_over() -> dict[str, int]:
    """Carry Xã Lâm Thao's predecessors over on the default plan, by its officer, and old Việt
    Trì's demo communes into their successors, by the administrator. Returns Xã Lâm Thao's
    summary."""
    summary = _carry(*CARRIED, User.objects.get(username=OFFICER))
    admin = User.objects.get(username="admin")
    for tree, code in CARRIED_ON_DEFAULT_PLAN:
        _carry(tree, code, admin)
    return summary


@removal()
def remove_carry_over() -> None:
    """Before the rosters and users go: the carry-overs of the demo's new communes (the one the
    user may have made in the browser included) and province runs asked for by demo users."""
    CarryOver.objects.filter(commune__in=touched_communes()).delete()
    demo_users = User.objects.filter(Q(email__endswith="@antt-demo.example") | Q(username="admin"))
    ProvinceJob.objects.filter(requested_by__in=demo_users).delete()
