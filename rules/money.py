"""Money is whole đồng: VND has no minor unit. Every amount is an `int`; any computation that can
produce a fraction (a coefficient × base salary, a percentage, a pro-rata share) goes through
`round_vnd`, so there is one rounding rule in the whole application.
"""

import math
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def round_vnd(amount: Number) -> int:
    """Round to the nearest whole đồng, halves away from zero (0.5 → 1, 1,499.5 → 1,500).

    This is the rounding used by Vietnamese public finance and by the social-insurance office
    for contributions. The arithmetic is exact (Fraction), so 1/3 of a sum never drifts; floats
    are refused because they cannot represent money exactly.
    """
    if isinstance(amount, float):
        raise TypeError("round_vnd() refuses floats; use int, Decimal or Fraction")
    exact = Fraction(amount)
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    return magnitude if exact >= 0 else -magnitude
