"""The carry-over in the work inbox: a new commune whose predecessors had teams waits for its
officer until the carry-over is confirmed, and again when it is reopened for a correction."""

import datetime

import pytest

from carryover import services
from core.inbox import work_for
from tests.carryover.conftest import keep_plan

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
GROUP = "Chuyển giao sau sắp xếp đơn vị hành chính"


def carry_items(user):
    return [
        (i.unit_name, str(i.action)) for i in work_for(user, TODAY).items if str(i.group) == GROUP
    ]


def test_the_new_commune_waits_until_it_is_carried_over_and_again_when_reopened(co):
    officer = co.users["canbo_xa_moi"]
    assert carry_items(officer) == [("Xã Lâm Thao", "Lập phương án và xác nhận chuyển giao")]
    assert ("Xã Phùng Nguyên", "Lập phương án và xác nhận chuyển giao") in carry_items(
        co.users["canbo_pn"]
    )
    assert carry_items(co.users["canbo_ct"]) == []  # Mỹ Tú has no predecessor with teams
    services.commune_carry_over(commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=officer)
    assert carry_items(officer) == []
    services.carry_over_reopen(
        commune=co.units["lam_thao_new"], reason="Gộp hai khu dân cư", actor=officer
    )
    assert carry_items(officer) == [("Xã Lâm Thao", "Xác nhận lại phương án chuyển giao")]
