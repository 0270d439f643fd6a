"""Sóc Trăng: quota by residents; fixed support (Mỹ Tú, now in Cần Thơ, keeps these rules)."""

import pytest

from rules.base import RuleError
from tests.rules.helpers import D, quota, support

J = "94"


@pytest.mark.parametrize(
    ("residents", "members"), [(0, 3), (2999, 3), (3000, 4), (4999, 4), (5000, 5), (9000, 5)]
)
def test_quota_by_residents(params, residents, members):
    assert quota(params, J, households=10, residents=residents).members == members


def test_residents_are_required(params):
    with pytest.raises(RuleError, match="nhân khẩu"):
        quota(params, J, households=600)


def test_support(params):
    assert [support(params, J, r).amount for r in ("to_truong", "to_pho", "to_vien")] == [
        1_380_000,
        1_207_500,
        1_035_000,
    ]


def test_amounts_read_as_shares_of_region_iv_stay_unverified_press_values(params):
    """domain.md §13 / issue 12 item 8: 1,380,000 / 1,207,500 / 1,035,000 are exactly 40 / 35 /
    30 % of region IV's minimum wage on 01/07/2024, but no text says they are percentages, so
    they stay whole đồng from the press, marked unverified wherever they are used."""
    from fractions import Fraction

    wage = params.get("regional_minimum_wage.IV", jurisdiction="", on=D(2024, 7, 1)).value
    for role, percent in (("to_truong", 40), ("to_pho", 35), ("to_vien", 30)):
        result = support(params, J, role)
        assert result.amount == Fraction(percent, 100) * wage
        (value,) = [v for v in result.parameters if v.key == f"support.{role}"]
        assert value.unit == "vnd" and not value.verified and value.source == "press"
        assert f"{percent} % mức lương tối thiểu vùng IV" in value.note
        assert "chưa xác minh: báo chí" in result.trace[0].value
