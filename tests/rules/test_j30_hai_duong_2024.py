"""Hải Dương: bands to 999 households; NQ 30/2024: 50,000/day up to 7 days, 100 % first-person
HI, VSI +30 % of the floor contribution, uninsured accident and death."""

import pytest

from rules import engine
from rules.base import MemberFacts, MissingParameters, RuleError, TeamRole
from tests.rules.helpers import D, duty, insurance, quota

J = "30"
JAN_2025 = D(2025, 1, 1)


@pytest.mark.parametrize(("households", "members"), [(799, 3), (800, 4), (999, 4)])
def test_quota_bands(params, households, members):
    assert quota(params, J, households).members == members


def test_top_band_figure_is_unknown(params):
    with pytest.raises(MissingParameters, match=r"quota.all.top_members"):
        quota(params, J, 1000)


@pytest.mark.parametrize(("days", "amount"), [(6, 300_000), (7, 350_000), (8, 350_000)])
def test_duty_days_capped_at_seven(params, days, amount):
    result = duty(params, J, month=JAN_2025, day=days)
    assert result.amount == amount
    assert any("tối đa 7" in t.formula for t in result.trace) == (days > 7)


def test_resolution_30_from_its_assumed_date(params):
    """No rate before 21/12/2024; December is paid by day (tests/rules/test_duty_segments.py),
    so undated December units ask for the days."""
    with pytest.raises(MissingParameters, match=r"duty.day.rate"):
        duty(params, J, month=D(2024, 11, 1), day=1)
    with pytest.raises(RuleError, match="cần ghi ngày làm nhiệm vụ"):
        duty(params, J, month=D(2024, 12, 1), day=1)
    assert duty(params, J, month=D(2025, 1, 1), day=1).amount == 50_000


def test_vsi_30_percent_on_top_of_central_support(params):
    before = insurance(params, J, "vsi", D(2025, 6, 30))
    after = insurance(params, J, "vsi", D(2025, 7, 1))
    assert (before.state_support, before.province_support, before.member_pays) == (
        33_000,
        99_000,
        198_000,
    )
    assert (after.state_support, after.province_support, after.member_pays) == (
        66_000,
        99_000,
        165_000,
    )


def test_hi_first_person_in_full(params):
    assert insurance(params, J, "hi", D(2025, 8, 14)).province_support == 105_300
    after = insurance(params, J, "hi", D(2025, 8, 15))
    assert (after.state_support, after.province_support, after.member_pays) == (52_650, 52_650, 0)


def test_uninsured_incident(params):
    result = engine.uninsured_incident(
        jurisdiction=J, on=JAN_2025, params=params, inpatient_days=10, died=True
    )
    assert result.amount == 10 * 70_200 + 53_640_000 + 14_900_000


def test_monthly_amounts_not_shipped(params):
    with pytest.raises(MissingParameters, match=r"support.to_vien"):
        engine.monthly_support(
            jurisdiction=J,
            member=MemberFacts(TeamRole.TO_VIEN),
            month=JAN_2025,
            params=params,
        )
