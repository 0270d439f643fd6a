"""Hậu Giang: fixed support, training at the conscript meal rate, night/holiday stipends,
VSI at the minimum level, 100 % household HI."""

from tests.rules.helpers import D, duty, insurance, quota, support

J = "93"


def test_support_and_quota(params):
    assert [support(params, J, r).amount for r in ("to_truong", "to_pho", "to_vien")] == [
        1_500_000,
        1_300_000,
        1_100_000,
    ]
    result = quota(params, J, 300)
    assert (result.members, result.maximum) == (6, True)


def test_stipends_by_kind(params):
    result = duty(params, J, training=5, night=4, holiday=2)
    assert result.amount == 5 * 70_000 + 4 * 30_000 + 2 * 30_000
    assert [t.label for t in result.trace][:3] == [
        "Đêm làm nhiệm vụ (22 giờ đến 06 giờ)",
        "Ngày nghỉ, ngày lễ, tết làm nhiệm vụ",
        "Ngày tập trung huấn luyện, bồi dưỡng",
    ]


def test_vsi_minimum_level_is_flagged_unverified(params):
    result = insurance(params, J, "vsi", D(2025, 7, 1))
    assert (result.state_support, result.province_support, result.member_pays) == (
        66_000,
        264_000,
        0,
    )
    assert any("chưa xác minh" in item.formula for item in result.trace)


def test_hi_paid_in_full(params):
    assert insurance(params, J, "hi", D(2025, 1, 1)).member_pays == 0
