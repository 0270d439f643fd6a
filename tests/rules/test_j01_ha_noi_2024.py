"""Hà Nội: household bands, base + role add-on, 4-hour duty days, fixed VSI/HI top-ups."""

from fractions import Fraction

import pytest

from rules.base import RuleError
from tests.rules.helpers import AUG_2024, D, duty, insurance, quota, support

J = "01"


@pytest.mark.parametrize(
    ("households", "members"), [(0, 3), (349, 3), (350, 4), (499, 4), (500, 5), (2000, 5)]
)
def test_quota_bands(params, households, members):
    result = quota(params, J, households)
    assert (result.members, result.maximum) == (members, False)


@pytest.mark.parametrize(
    ("role", "amount"), [("to_truong", 2_820_000), ("to_pho", 2_720_000), ("to_vien", 2_520_000)]
)
def test_base_plus_role_addon(params, role, amount):
    result = support(params, J, role)
    assert result.amount == amount
    assert {p.key for p in result.parameters} <= {"support.base", f"support.addon.{role}"}


def test_not_before_1_july_2024(params):
    with pytest.raises(RuleError, match="01/06/2024"):
        support(params, J, "to_vien", month=D(2024, 6, 1))


def test_duty_days_of_four_hours(params):
    assert duty(params, J, day=6).amount == 600_000


def test_night_rate_not_entered_is_named(params):
    with pytest.raises(RuleError, match=r"duty.night.rate"):
        duty(params, J, day=1, night=2)


def test_vsi_fixed_top_up_around_1_july_2025(params):
    before = insurance(params, J, "vsi", D(2025, 6, 30))
    after = insurance(params, J, "vsi", D(2025, 7, 1))
    assert (
        before.contribution,
        before.state_support,
        before.province_support,
        before.member_pays,
    ) == (330_000, 33_000, 234_000, 63_000)
    assert (after.contribution, after.state_support, after.province_support, after.member_pays) == (
        330_000,
        66_000,
        234_000,
        30_000,
    )


def test_hi_fixed_top_up_is_cut_when_the_state_pays_half(params):
    before = insurance(params, J, "hi", D(2025, 8, 14))
    after = insurance(params, J, "hi", D(2025, 8, 15))
    assert (before.state_support, before.province_support, before.member_pays) == (
        0,
        54_000,
        51_300,
    )
    assert (after.state_support, after.province_support, after.member_pays) == (52_650, 52_650, 0)
    assert any("không vượt" in item.label for item in after.trace)


def test_addon_values_are_whole_dong(params):
    value = params.get("support.addon.to_truong", jurisdiction=J, on=AUG_2024).value
    assert value == 300_000 and not isinstance(value, Fraction)


def test_the_base_amount_read_as_a_coefficient_stays_an_unverified_press_value(params):
    """domain.md §13 / issue 12 item 8: 2,520,000 = 1.4 × the base salary before 01/07/2024;
    no text says it is a coefficient, so it stays whole đồng from the press, unverified."""
    old_base = params.get("base_salary", jurisdiction="", on=D(2024, 6, 30)).value
    value = params.get("support.base", jurisdiction=J, on=D(2024, 7, 1))
    assert value.value == 2_520_000 == 14 * old_base // 10
    assert value.unit == "vnd" and not value.verified and "1,4 lần mức lương cơ sở" in value.note
