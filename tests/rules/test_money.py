from decimal import Decimal
from fractions import Fraction

import pytest

from rules.money import round_vnd


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        (Decimal("0.5"), 1),
        (Decimal("0.4999"), 0),
        (Decimal("1499.5"), 1500),
        (Decimal("-0.5"), -1),
        (Fraction(1_000_000, 3), 333_333),
        (Fraction(2_000_000, 3), 666_667),
        (Decimal("0.8") * 2_340_000, 1_872_000),
        (1_100_000, 1_100_000),
    ],
)
def test_round_half_away_from_zero(amount, rounded):
    assert round_vnd(amount) == rounded


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_vnd(0.1 * 3)
