"""VSI and HI arithmetic: national boundaries (no database)."""

import pytest

from rules.base import RuleError
from rules.insurance import Group
from tests.rules.helpers import D, insurance, with_values

J = "01"  # Hà Nội: fixed top-ups, so the national part is easy to read
JUL_2025 = D(2025, 7, 1)


@pytest.mark.parametrize(
    ("group", "before", "after"),
    [
        ("poor", 99_000, 165_000),
        ("near_poor", 82_500, 132_000),
        ("ethnic_minority", 33_000, 99_000),
        ("other", 33_000, 66_000),
    ],
)
def test_state_support_rates_change_on_1_july_2025(params, group, before, after):
    assert insurance(params, J, "vsi", D(2025, 6, 30), groups=(group,)).state_support == before
    assert insurance(params, J, "vsi", JUL_2025, groups=(group,)).state_support == after


def test_highest_applicable_group_wins(params):
    result = insurance(
        params, J, "vsi", JUL_2025, groups=(Group.OTHER, Group.NEAR_POOR, Group.ETHNIC_MINORITY)
    )
    assert result.state_support == 132_000
    assert "cao nhất" in next(t for t in result.trace if t.label.startswith("Nhà nước")).label


def test_support_is_on_the_poverty_line_contribution_whatever_the_income(params):
    result = insurance(params, J, "vsi", JUL_2025, income=5_000_000)
    assert (result.contribution, result.state_support, result.member_pays) == (
        1_100_000,
        66_000,
        800_000,
    )


def test_poverty_line_is_the_floor(params):
    assert insurance(params, J, "vsi", JUL_2025, income=1_500_000).contribution == 330_000
    with pytest.raises(RuleError, match="thấp hơn mức thấp nhất"):
        insurance(params, J, "vsi", JUL_2025, income=1_499_999)


def test_twenty_base_salaries_is_the_ceiling(params):
    assert insurance(params, J, "vsi", JUL_2025, income=46_800_000).contribution == 10_296_000
    with pytest.raises(RuleError, match="cao hơn mức cao nhất"):
        insurance(params, J, "vsi", JUL_2025, income=46_800_001)


@pytest.mark.parametrize(("used", "state"), [(0, 66_000), (119, 66_000), (120, 0), (200, 0)])
def test_state_support_stops_after_120_months(params, used, state):
    result = insurance(params, J, "vsi", JUL_2025, months_supported=used)
    assert result.state_support == state
    assert result.province_support == 234_000  # the province's top-up is not capped by it
    assert result.member_pays == 330_000 - state - 234_000


def test_member_never_pays_a_negative_amount(params):
    generous = with_values(params, J, D(2025, 7, 1), {"vsi.province.amount": (400_000, "vnd")})
    result = insurance(generous, J, "vsi", JUL_2025)
    assert (result.province_support, result.member_pays) == (264_000, 0)


def test_poverty_line_is_not_extended_past_2026(params):
    assert insurance(params, J, "vsi", D(2026, 12, 31)).contribution == 330_000
    result = insurance(params, J, "vsi", D(2027, 1, 1))
    assert result.contribution == 484_000
    assert any("chưa xác minh" in t.value for t in result.trace)


@pytest.mark.parametrize(("day", "state"), [(D(2025, 8, 14), 0), (D(2025, 8, 15), 52_650)])
def test_hi_state_share_from_15_august_2025(params, day, state):
    result = insurance(params, J, "hi", day)
    assert (result.contribution, result.state_support) == (105_300, state)


def test_trace_cites_every_step(params):
    result = insurance(params, J, "vsi", JUL_2025)
    cited = [t for t in result.trace if t.citation]
    assert any("159/2025" in t.citation for t in cited)
    assert any("41/2024/QH15" in t.citation for t in cited)
    assert result.trace[-1].label == "Người tham gia tự đóng"


def test_negative_months_refused(params):
    with pytest.raises(RuleError, match="không được âm"):
        insurance(params, J, "vsi", JUL_2025, months_supported=-1)


# --- Island communes and special zones (Decree 159/2025), household HI (Decree 146/2018 Art. 7)


def test_island_group_is_50_percent_from_1_july_2025_and_other_before(params):
    """The day before: no group of its own (the "other" 10 %); the day of: 50 % = 165,000."""
    before = insurance(params, J, "vsi", D(2025, 6, 30), groups=(Group.ISLAND,))
    on = insurance(params, J, "vsi", JUL_2025, groups=(Group.ISLAND,))
    assert (before.state_support, on.state_support) == (33_000, 165_000)
    label = next(t for t in on.trace if t.label.startswith("Nhà nước")).label
    assert "xã đảo, đặc khu" in label
    not_island = insurance(params, J, "vsi", JUL_2025, groups=(Group.OTHER,))
    assert not_island.state_support == 66_000


@pytest.mark.parametrize(
    ("position", "contribution"),
    [
        (None, 105_300),
        (1, 105_300),
        (2, 73_710),
        (3, 63_180),
        (4, 52_650),
        (5, 42_120),
        (6, 42_120),
    ],
)
def test_household_position_sets_the_hi_contribution(params, position, contribution):
    """4.5 % × 2,340,000 = 105,300 for the 1st (or a member alone); 70 / 60 / 50 / 40 % of it
    for the 2nd, 3rd, 4th, 5th and later."""
    result = insurance(params, J, "hi", D(2025, 8, 1), household_position=position)
    assert result.contribution == contribution
    assert result.member_pays == contribution - result.state_support - result.province_support


def test_household_discount_under_decree_188_and_the_state_share(params):
    """From 15/08/2025 the state pays 50 % of the (discounted) contribution: 5th member 42,120
    → 21,060; Hà Nội's fixed 54,000 is cut to the rest."""
    result = insurance(params, J, "hi", D(2025, 8, 15), household_position=5)
    assert (result.contribution, result.state_support) == (42_120, 21_060)
    assert result.province_support == 21_060 and result.member_pays == 0
    assert any("từ người thứ 5" in t.label for t in result.trace)


def test_household_position_zero_is_refused(params):
    with pytest.raises(RuleError, match="Thứ tự trong hộ"):
        insurance(params, J, "hi", D(2025, 8, 1), household_position=0)
