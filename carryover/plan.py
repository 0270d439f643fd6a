"""A carry-over plan: which old areas become which new areas, which old teams which new teams.

Plain data (dataclasses that round-trip through JSON), so the same plan is shown in the preview,
sent back by the confirm button, stored on the `CarryOver` and built by default for a province.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class AreaPlan:
    """A new residential area: kept (one old area, same name), renamed (one, another name) or
    merged (several old areas; households and residents added up unless given)."""

    name: str
    sources: list[int]
    kind: str = ""
    households: int | None = None
    residents: int | None = None
    village_type: int | None = None


@dataclass
class TeamPlan:
    """A new team continuing one old team (kept) or several (merged). `leader`: the old
    membership that leads a merged team when more than one old team had a Tổ trưởng (the
    others become Tổ phó). `over_quota_reason`: why a merged team may have more members than
    its quota (as for a member added beyond it, teams.services.check_roster_place)."""

    name: str
    sources: list[int]
    leader: int | None = None
    over_quota_reason: str = ""


@dataclass
class Plan:
    # Split predecessors (UnitSuccession.partly): old commune id -> its old area ids coming here.
    picked: dict[int, list[int]] = field(default_factory=dict)
    areas: list[AreaPlan] = field(default_factory=list)
    teams: list[TeamPlan] = field(default_factory=list)
    # The old province whose rules apply, when the predecessors come from more than one.
    jurisdiction: str = ""
    # The old rosters as previewed (carryover.selectors.fingerprint); checked at confirm time.
    fingerprint: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        data["picked"] = {str(k): v for k, v in self.picked.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        return cls(
            picked={int(k): [int(a) for a in v] for k, v in (data.get("picked") or {}).items()},
            areas=[AreaPlan(**a) for a in data.get("areas") or []],
            teams=[TeamPlan(**t) for t in data.get("teams") or []],
            jurisdiction=data.get("jurisdiction") or "",
            fingerprint=data.get("fingerprint") or "",
        )
