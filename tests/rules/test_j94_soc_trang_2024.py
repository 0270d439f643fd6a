"""Sóc Trăng: quota by residents; fixed support (Mỹ Tú, now in Cần Thơ, keeps these rules)."""

import pytest

from rules.base import RuleError
from tests.rules.helpers import quota, support

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
