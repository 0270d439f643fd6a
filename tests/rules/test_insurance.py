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
