"""Equipment and support tools a team should hold, for the annual report.

- Support tools (Circular 14/2024/TT-BCA Art. 8(1)): a share of the team's members for each
  tool — rubber batons 80 %, metal batons 50 %, stab-resistant vests 30 %, knife-resistant
  gloves 30 % — rounded up to whole items (a team of 3 needs ⌈2.4⌉ = 3 rubber batons);
- flashlights and whistles (Kon Tum NQ 24/2024 Art. 4(1) provides for buying them; one per
  member is this system's default, shipped as an unverified parameter);
- furniture (Decree 40/2024/NĐ-CP Art. 4(1)): personal desks by bands of team size (3–4 for 3–5
  members, 6–8 for 6–10, 11–13 for 11–15, 16–18 for 16–20, 20–30 above 20), one chair per member,
  at least one meeting table and one cabinet.

The need is what is required minus what the team holds, never negative. Figures are national
parameters (fixtures/rules/national.toml); this module holds the shapes.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from fractions import Fraction

from .names import NATIONAL
from .parameters import ParameterSource

TOOLS = {
    "rubber_baton": "Gậy cao su",
    "metal_baton": "Gậy kim loại",
    "stab_vest": "Áo chống đâm",
    "knife_gloves": "Găng tay bắt dao",
}
PER_MEMBER = {"flashlight": "Đèn pin", "whistle": "Còi", "chair": "Ghế"}
BANDED = {"desk": "Bàn làm việc cá nhân"}
AT_LEAST = {"meeting_table": "Bàn họp", "cabinet": "Tủ đựng tài liệu, công cụ"}
ITEMS = {**TOOLS, **PER_MEMBER, **BANDED, **AT_LEAST}

PARAMETER_KEYS = [
    *(f"equipment.{item}.share" for item in TOOLS),
    *(f"equipment.{item}.per_member" for item in PER_MEMBER),
    *(f"equipment.{item}.{end}" for item in BANDED for end in ("min", "max")),
    *(f"equipment.{item}.min" for item in AT_LEAST),
]


@dataclass(frozen=True)
class Need:
    item: str
    label: str
    required: int
    held: int
    formula: str
    citation: str
    verified: bool = True
    maximum: int | None = None  # upper end of a band, shown for information

    @property
    def need(self) -> int:
        return max(0, self.required - self.held)


def _band(bands, size: int) -> int:
    value = 0
    for start, members in bands:
        if size >= start:
            value = members
    return value


def team_needs(
    *, members: int, held: dict[str, int], params: ParameterSource, on: datetime.date
) -> list[Need]:
    """What a team of `members` should hold, item by item, against what it `held`."""

    def get(key):
        return params.get(key, jurisdiction=NATIONAL, on=on)

    needs = []
    for item, label in TOOLS.items():
        share = get(f"equipment.{item}.share")
        required = math.ceil(Fraction(share.value) * members / 100)
        needs.append(
            Need(
                item,
                label,
                required,
                held.get(item, 0),
                f"⌈{share.shown} × {members}⌉",
                share.citation,
                share.verified,
            )
        )
    for item, label in PER_MEMBER.items():
        each = get(f"equipment.{item}.per_member")
        needs.append(
            Need(
                item,
                label,
                each.value * members,
                held.get(item, 0),
                f"{each.value} × {members}",
                each.citation,
                each.verified,
            )
        )
    for item, label in BANDED.items():
        low, high = get(f"equipment.{item}.min"), get(f"equipment.{item}.max")
        needs.append(
            Need(
                item,
                label,
                _band(low.value, members),
                held.get(item, 0),
                f"Tổ {members} thành viên: {_band(low.value, members)}–"
                f"{_band(high.value, members)}",
                low.citation,
                low.verified,
                maximum=_band(high.value, members),
            )
        )
    for item, label in AT_LEAST.items():
        low = get(f"equipment.{item}.min")
        needs.append(
            Need(
                item,
                label,
                low.value,
                held.get(item, 0),
                f"ít nhất {low.value}",
                low.citation,
                low.verified,
            )
        )
    return needs
