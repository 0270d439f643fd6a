"""Bạc Liêu: % of the regional minimum wage; night shifts capped at 500,000 a month."""

import pytest

from rules.base import MissingParameters, RuleError
from tests.rules.helpers import D, duty, quota, support

J = "95"


@pytest.mark.parametrize(
    ("region", "role", "amount"),
    [
        ("IV", "to_truong", 1_380_000),
        ("IV", "to_pho", 1_207_500),
        ("IV", "to_vien", 1_104_000),
        ("I", "to_vien", 1_587_200),
    ],
)
def test_percent_of_regional_minimum_wage(params, region, role, amount):
    assert support(params, J, role, minimum_wage_region=region).amount == amount


def test_new_minimum_wage_decree_from_1_january_2026(params):
    assert (
        support(params, J, "to_vien", month=D(2025, 12, 1), minimum_wage_region="IV").amount
        == 1_104_000
    )
    assert (
        support(params, J, "to_vien", month=D(2026, 1, 1), minimum_wage_region="IV").amount
        == 1_184_000
    )


def test_region_is_required(params):
    with pytest.raises(RuleError, match="vùng"):
        support(params, J, "to_vien")


@pytest.mark.parametrize(
    ("nights", "amount"), [(0, 0), (9, 450_000), (10, 500_000), (11, 500_000), (30, 500_000)]
)
def test_night_shifts_are_capped(params, nights, amount):
    assert duty(params, J, night=nights).amount == amount


def test_quota_not_reported(params):
    with pytest.raises(MissingParameters, match=r"quota.all.bands"):
        quota(params, J, 100)
