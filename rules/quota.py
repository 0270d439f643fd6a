"""Member quota shapes (Law 30/2023 Art. 14(3): the provincial People's Council sets them).

One shape covers every resolution seen so far: members by bands of the area's size, then,
optionally, one more member per full step above a size:

- Phú Thọ: bands 0:3, then +1 per full 175 households from 350 (xã, thị trấn) or per full
  500/3 households from 500 (phường), compared exactly, never rounded;
- Hà Nội: bands 0:3, 350:4, 500:5 households;
- TP.HCM: bands 0:3, 2701:4 residents, then +1 per full 900 residents above 3,600.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .base import TraceItem
from .parameters import ParameterValue, Unit, format_value


def banded_with_step(
    size: int,
    *,
    measure: str,
    bands: ParameterValue,
    step_from: ParameterValue | None = None,
    step_size: ParameterValue | None = None,
) -> tuple[int, list[TraceItem]]:
    """Members for an area of `size` (households or residents, named by `measure`)."""
    members = 0
    band_start = 0
    for start, band_members in bands.value:
        if size >= start:
            members, band_start = band_members, start
    trace = [
        TraceItem(
            f"Số thành viên theo quy mô ({measure}: {format_value(size, Unit.COUNT)})",
            f"bậc từ {band_start}: {members} thành viên",
            str(members),
            bands.citation,
        )
    ]
    if step_from is not None and step_size is not None and size > step_from.value:
        step = Fraction(step_size.value)
        # Only full steps count: 524 households above 350 in steps of 175 add nothing.
        extra = math.floor((size - step_from.value) / step)
        if extra:
            members += extra
            trace.append(
                TraceItem(
                    "Thành viên tăng thêm",
                    f"⌊({size} − {step_from.value}) ÷ {format_value(step, step_size.unit)}⌋",
                    f"+{extra}",
                    step_size.citation,
                )
            )
    return members, trace
