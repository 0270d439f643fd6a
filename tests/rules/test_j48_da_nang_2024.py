"""Đà Nẵng: up to 6 members; coefficients of the base salary follow its changes."""

import pytest

from rules.base import MissingParameters
from tests.rules.helpers import D, insurance, quota, support, with_values

J = "48"


def test_quota_is_a_maximum_of_six(params):
    result = quota(params, J, 800)
    assert (result.members, result.maximum) == (6, True)
    assert "tối đa" in result.trace[-1].formula


@pytest.mark.parametrize(
    ("role", "amount"), [("to_truong", 2_340_000), ("to_pho", 1_872_000), ("to_vien", 1_404_000)]
)
def test_coefficients_times_base_salary(params, role, amount):
    result = support(params, J, role)
    assert result.amount == amount
    assert "hệ số" in result.trace[-2].formula and "làm tròn" in result.trace[-2].formula


def test_a_new_base_salary_changes_the_amount_from_its_first_day(params):
    table = with_values(params, "", D(2026, 7, 1), {"base_salary": (2_530_000, "vnd")})
    assert support(table, J, "to_pho", month=D(2026, 6, 1)).amount == 1_872_000
    assert support(table, J, "to_pho", month=D(2026, 7, 1)).amount == 2_024_000


def test_insurance_top_up_not_reported_is_named(params):
    with pytest.raises(MissingParameters, match=r"vsi.province.mode"):
        insurance(params, J, "vsi", D(2025, 7, 1))
