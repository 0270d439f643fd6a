"""The "An toàn về ANTT" year in the work inbox: registration due in quarter I, the
self-assessment once the period is over, the review and the commune People's Committee's
decision — each for whoever holds that step, in their commune only."""

import datetime

import pytest

from core.inbox import work_for
from tests.safe_areas.conftest import all_met, register

D = datetime.date
pytestmark = pytest.mark.django_db
GROUP = "An toàn về an ninh, trật tự"


def safe_items(user, today):
    return [
        (str(i.title), str(i.action), i.due, i.late)
        for i in work_for(user, today).items
        if str(i.group) == GROUP
    ]


def test_unregistered_areas_are_one_item_due_at_the_end_of_quarter_one(world):
    officer = world.users["canbo_ct"]
    assert safe_items(officer, D(2026, 2, 1)) == [
        ("Đăng ký «An toàn về ANTT» năm 2026", "Đăng ký khu dân cư", D(2026, 3, 31), False)
    ]
    assert safe_items(officer, D(2026, 4, 1))[0][3] is True  # late after quarter I
    # The link opens the year to register, not the page's default year (the last one ended).
    (item,) = [i for i in work_for(officer, D(2026, 2, 1)).items if str(i.group) == GROUP]
    assert item.url == f"/don-vi/{world.units['my_tu'].pk}/an-toan-antt/?nam=2026"
    assert safe_items(world.users["canbo_xa1"], D(2026, 2, 1)) == []  # another commune
    register(world, year=2026)
    assert safe_items(officer, D(2026, 2, 1)) == []  # registered, its period is not over


def test_the_self_assessment_review_and_decision_pass_from_hand_to_hand(world, leader):
    from safe_areas import services

    officer = world.users["canbo_ct"]
    area_year = register(world)
    after = D(2025, 11, 5)  # the 2025 period ended on 31/10/2025
    assert ("Ấp Mỹ Phú: năm 2025", "Gửi tự đánh giá lên xã") in [
        t[:2] for t in safe_items(officer, after)
    ]
    services.area_assess(area_year=area_year, answers=all_met(area_year), actor=officer)
    steps = [t[:2] for t in safe_items(officer, after)]
    assert ("Ấp Mỹ Phú: năm 2025", "Thẩm định, trình UBND xã / Trả lại để đánh giá lại") in steps
    assert [t for t in safe_items(leader, after) if "Ấp Mỹ Phú" in t[0]] == []
    services.area_year_transition(area_year=area_year, action="review", actor=officer)
    assert ("Ấp Mỹ Phú: năm 2025", "Quyết định công nhận / Quyết định không công nhận") in [
        t[:2] for t in safe_items(leader, after)
    ]
    # Now it waits for the leader only: the officer's "Trả lại" alone is not work.
    assert [t for t in safe_items(officer, after) if "Ấp Mỹ Phú" in t[0]] == []
    # another commune's officer sees none of it
    assert [t for t in safe_items(world.users["canbo_xa1"], after) if "Ấp Mỹ Phú" in t[0]] == []
