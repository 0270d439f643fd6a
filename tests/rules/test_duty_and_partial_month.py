"""Duty stipend caps and partial months (no database)."""

import pytest

from rules import partial_month
from rules.base import DutyFacts, DutyKind, MissingParameters, RuleError
from rules.partial_month import Policy, PolicyInForce, prorate
from tests.rules.helpers import AUG_2024, D, duty, support, with_values


def test_every_missing_rate_is_named_at_once(params):
    with pytest.raises(MissingParameters) as err:
        duty(params, "25", night=1, training=2)
    assert [m[0] for m in err.value.missing] == ["duty.night.rate", "duty.training.rate"]


def test_no_units_no_stipend(params):
    assert duty(params, "25").amount == 0


def test_overall_cap_after_kind_caps(params):
    table = with_values(params, "93", D(2024, 7, 1), {"duty.max_amount": (200_000, "vnd")})
    result = duty(table, "93", training=2, night=3)
    assert result.amount == 200_000
    assert result.trace[-2].label == "Mức bồi dưỡng tối đa mỗi tháng"


def test_coefficient_rate_is_rounded_once_per_unit(params):
    table = with_values(
        params,
        "25",
        D(2024, 7, 1),
        {"duty.day.rate": (__import__("fractions").Fraction(1, 30), "coefficient")},
    )
    assert duty(table, "25", day=3).amount == 3 * 78_000


def test_negative_units_refused():
    with pytest.raises(RuleError):
        DutyFacts({DutyKind.DAY: -1})


@pytest.mark.parametrize(
    ("policy", "days", "amount"),
    [
        (Policy.PRO_RATA, 10, 354_839),  # 1,100,000 × 10 / 31 = 354,838.7 → 354,839
        (Policy.PRO_RATA, 31, 1_100_000),
        (Policy.PRO_RATA, 0, 0),
        (Policy.FULL, 1, 1_100_000),
        (Policy.FULL, 0, 0),
        (Policy.FULL_IF_15_DAYS, 15, 1_100_000),
        (Policy.FULL_IF_15_DAYS, 14, 496_774),
    ],
)
def test_prorate(policy, days, amount):
    value, step = prorate(1_100_000, days, 31, policy)
    assert value == amount
    assert step.value.replace(".", "").startswith(str(amount))


def test_prorate_refuses_impossible_days():
    with pytest.raises(RuleError):
        prorate(1_000_000, 31, 30, Policy.PRO_RATA)


def test_default_policy_says_so(params):
    result = support(params, "25", "to_vien")
    assert partial_month.policy_for(params, "25", AUG_2024).default
    from rules import engine
    from rules.base import MemberFacts, TeamRole

    part = engine.monthly_support(
        jurisdiction="25",
        member=MemberFacts(TeamRole.TO_VIEN),
        month=D(2024, 2, 1).replace(year=2025),
        params=params,
        active_days=14,
    )
    assert part.amount == 500_000  # 1,000,000 × 14 / 28
    assert "mặc định" in part.trace[-1].label
    assert result.amount == 1_000_000


def test_a_jurisdiction_setting_wins(params):
    from rules import engine
    from rules.base import MemberFacts, TeamRole

    table = with_values(
        params, "25", D(2024, 7, 1), {"partial_month.policy": ("full_if_15_days", "choice")}
    )
    part = engine.monthly_support(
        jurisdiction="25",
        member=MemberFacts(TeamRole.TO_VIEN),
        month=AUG_2024,
        params=table,
        active_days=20,
    )
    assert part.amount == 1_000_000
    assert "mặc định" not in part.trace[-1].label
    assert isinstance(partial_month.policy_for(table, "25", AUG_2024), PolicyInForce)
