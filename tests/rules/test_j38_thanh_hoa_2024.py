"""Thanh Hóa: support by village type."""

import pytest

from rules.base import RuleError
from tests.rules.helpers import quota, support

J = "38"


@pytest.mark.parametrize(
    ("village_type", "role", "amount"),
    [
        (1, "to_truong", 1_638_000), (1, "to_pho", 1_521_000), (1, "to_vien", 1_404_000),
        (2, "to_truong", 1_521_000), (2, "to_pho", 1_404_000), (2, "to_vien", 1_310_400),
        (3, "to_vien", 1_310_400),
    ],
)  # fmt: skip
def test_support_by_village_type(params, village_type, role, amount):
    assert support(params, J, role, village_type=village_type).amount == amount


def test_village_type_is_required(params):
    with pytest.raises(RuleError, match="phân loại thôn"):
        support(params, J, "to_vien")


def test_three_per_team(params):
    assert quota(params, J, 1500).members == 3
