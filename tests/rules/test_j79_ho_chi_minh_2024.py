"""TP.HCM: residents + steps of 900; 100 % of VSI/HI on the monthly support (NQ 54/2025)."""

import pytest

from rules.base import MissingParameters, RuleError
from tests.rules.helpers import D, insurance, quota, support

J = "79"


@pytest.mark.parametrize(
    ("residents", "members"),
    [(2700, 3), (2701, 4), (3600, 4), (4499, 4), (4500, 5), (5399, 5), (5400, 6)],
)
def test_quota_by_residents_with_steps(params, residents, members):
    assert quota(params, J, residents=residents).members == members


def test_support(params):
    assert [support(params, J, r).amount for r in ("to_truong", "to_pho", "to_vien")] == [
        6_500_000,
        6_300_000,
        6_000_000,
    ]


def test_vsi_on_the_monthly_support_paid_in_full(params):
    from rules.base import MemberFacts, TeamRole

    result = insurance(params, J, "vsi", D(2026, 1, 1), member=MemberFacts(TeamRole.TO_TRUONG))
    assert (
        result.contribution,
        result.state_support,
        result.province_support,
        result.member_pays,
    ) == (1_430_000, 66_000, 1_364_000, 0)
    assert any("mức hỗ trợ hằng tháng" in item.formula for item in result.trace)


def test_vsi_needs_a_role_or_an_income(params):
    with pytest.raises(RuleError, match="chức danh"):
        insurance(params, J, "vsi", D(2026, 1, 1))
    assert insurance(params, J, "vsi", D(2026, 1, 1), income=3_000_000).member_pays == 0


def test_hi_paid_in_full(params):
    result = insurance(params, J, "hi", D(2026, 1, 1))
    assert (result.state_support, result.province_support, result.member_pays) == (
        52_650,
        52_650,
        0,
    )


def test_before_the_assumed_date_the_top_up_is_missing(params):
    with pytest.raises(MissingParameters, match=r"hi.province.mode"):
        insurance(params, J, "hi", D(2025, 12, 31))
