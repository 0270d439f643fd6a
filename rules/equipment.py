"""Equipment and support tools a team should hold, for the annual report.

- Support tools (Circular 14/2024/TT-BCA Art. 8(1)): a share of the team's members for each
  tool — rubber batons 80 %, metal batons 50 %, stab-resistant vests 30 %, knife-resistant
  gloves 30 % — rounded up to whole items (a team of 3 needs ⌈2.4⌉ = 3 rubber batons);
- provincial items: a resolution may add items the province buys itself, e.g. flashlights and
  whistles (Kon Tum NQ 24/2024 Art. 4(1)). They are parameters of that province
  (``equipment.flashlight.per_member`` in ``j62_kon_tum_2024.toml``), looked up in the team's
  jurisdiction; a province without such a value does not list the item, so no team elsewhere is
  told to buy what only Kon Tum's resolution provides for;
- furniture (Decree 40/2024/NĐ-CP Art. 4(1)): personal desks by bands of team size (3–4 for 3–5
  members, 6–8 for 6–10, 11–13 for 11–15, 16–18 for 16–20, 20–30 above 20), one chair per member,
  at least one meeting table and one cabinet.

The need is what is required minus what the team holds, never negative; what a team holds above
what is required is its surplus. Summed over teams, required − held = need − surplus (a
commune can lack chairs in one team and have spare ones in another). National figures are in
fixtures/rules/national.toml and cite national texts; provincial ones in the province's file;
this module holds the shapes.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from fractions import Fraction

from .equipment_items import AT_LEAST, BANDED, ITEMS, PER_MEMBER, PROVINCIAL_PER_MEMBER, TOOLS
from .names import NATIONAL
from .parameters import ParameterSource

__all__ = ["ITEMS", "PARAMETER_KEYS", "PROVINCIAL_KEYS", "Need", "item_label", "team_needs"]

PARAMETER_KEYS = [
    *(f"equipment.{item}.share" for item in TOOLS),
    *(f"equipment.{item}.per_member" for item in PER_MEMBER),
    *(f"equipment.{item}.{end}" for item in BANDED for end in ("min", "max")),
    *(f"equipment.{item}.min" for item in AT_LEAST),
]
PROVINCIAL_KEYS = [f"equipment.{item}.per_member" for item in PROVINCIAL_PER_MEMBER]


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

    @property
    def surplus(self) -> int:
        return max(0, self.held - self.required)


def item_label(item: str) -> str:
    """The Vietnamese name of an item key ("rubber_baton" → "Gậy cao su"); an unknown key (an
    item no longer listed) is shown as itself."""
    return ITEMS.get(item, item)


def _band(bands, size: int) -> int:
    value = 0
    for start, members in bands:
        if size >= start:
            value = members
    return value


def team_needs(
    *,
    members: int,
    held: dict[str, int],
    params: ParameterSource,
    on: datetime.date,
    jurisdiction: str = NATIONAL,
) -> list[Need]:
    """What a team of `members` should hold, item by item, against what it `held`; the
    provincial items of `jurisdiction` (the team's pre-2025 province) included."""

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
    for item, label in PROVINCIAL_PER_MEMBER.items():
        found = (
            params.find(f"equipment.{item}.per_member", jurisdiction=jurisdiction, on=on)
            if jurisdiction != NATIONAL
            else None
        )
        if found is not None:
            needs.append(
                Need(
                    item,
                    label,
                    found.whole * members,
                    held.get(item, 0),
                    f"{found.value} × {members}",
                    found.citation,
                    found.verified,
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
