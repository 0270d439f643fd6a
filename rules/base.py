"""The contract between rule modules and the rest of the application.

Rule modules take plain values (the dataclasses below and a parameter source) and return result
dataclasses. They never touch the database, so their tests need none. Every result carries the
amount or count, the citation of the resolution that sets it and a trace a person can follow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from .dates import format_date


class TeamRole(StrEnum):
    """Team composition under Law 30/2023/QH15 Art. 16."""

    TO_TRUONG = "to_truong"
    TO_PHO = "to_pho"
    TO_VIEN = "to_vien"

    @property
    def label(self) -> str:
        return {"to_truong": "Tổ trưởng", "to_pho": "Tổ phó", "to_vien": "Tổ viên"}[self.value]


class CommuneKind(StrEnum):
    XA = "xa"
    PHUONG = "phuong"
    THI_TRAN = "thi_tran"
    DAC_KHU = "dac_khu"

    @property
    def label(self) -> str:
        return {"xa": "xã", "phuong": "phường", "thi_tran": "thị trấn", "dac_khu": "đặc khu"}[
            self.value
        ]


class ConcurrentPost(StrEnum):
    """Other posts a member may hold at the same time (kiêm nhiệm), which some resolutions pay
    differently (Phú Thọ NQ 03/2024)."""

    KHONG_CHUYEN_TRACH_KDC = "khong_chuyen_trach_kdc"
    TRUC_TIEP_KDC = "truc_tiep_kdc"
    DOI_TRUONG_DAN_PHONG = "doi_truong_dan_phong"
    DOI_PHO_DAN_PHONG = "doi_pho_dan_phong"

    @property
    def label(self) -> str:
        return {
            "khong_chuyen_trach_kdc": "Người hoạt động không chuyên trách ở khu dân cư",
            "truc_tiep_kdc": "Người trực tiếp tham gia hoạt động ở khu dân cư",
            "doi_truong_dan_phong": "Đội trưởng đội dân phòng",
            "doi_pho_dan_phong": "Đội phó đội dân phòng",
        }[self.value]


@dataclass(frozen=True)
class TraceItem:
    """One step of a computation, as shown to people: "Mức Tổ trưởng | 1.100.000 đ | NQ …"."""

    label: str
    formula: str
    value: str
    citation: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "label": self.label,
            "formula": self.formula,
            "value": self.value,
            "citation": self.citation,
        }


@dataclass(frozen=True)
class AreaFacts:
    """What member quotas depend on: the residential area and the kind of its commune."""

    commune_kind: CommuneKind
    households: int
    residents: int | None = None
    area_kind: str = ""
    village_type: int | None = None


@dataclass(frozen=True)
class QuotaResult:
    """`members` is the number of members the resolution allows for the area. When `maximum` is
    true the resolution says "up to" (tối đa): a smaller team is lawful, a larger one is not.
    Either way the roster refuses a team above `members`."""

    members: int
    citation: str
    trace: tuple[TraceItem, ...]
    rule_module: str
    maximum: bool = False


# Levels of professional training (trình độ đào tạo: trung cấp and above) that a resolution
# may pay an extra for, keyed like the roster's education levels (teams.models.Education).
TRAINING_LEVELS = {
    "trung_cap": "Trung cấp",
    "cao_dang": "Cao đẳng",
    "dai_hoc": "Đại học",
    "sau_dai_hoc": "Sau đại học",
}


def training_level_of(education: str | None) -> str | None:
    """The training level a member's recorded education gives (None below trung cấp)."""
    return education if education in TRAINING_LEVELS else None


def posts_of(posts: list[str]) -> frozenset[ConcurrentPost]:
    return frozenset(ConcurrentPost(p) for p in posts)


def as_stored(value: Any) -> Any:
    return value


def roster(lookup: str, read: Callable[[Any], Any] = as_stored) -> dict[str, Any]:
    """Marks a member fact read from the roster (`field(metadata=roster(...))`): `lookup` is
    the membership's lookup as `Membership.objects.values()` takes it ("role", "start_date",
    "person__education"), `read` turns the stored value into the fact (by default the fact is
    the value as stored). The monthly run fetches and builds every fact marked so
    (`roster_facts`; allowances.services.months_of_members), so a new fact a rule needs is one
    field here; give it a default, so that the other provinces and both calculators need
    nothing."""
    return {"roster": lookup, "read": read}


@dataclass(frozen=True)
class MemberFacts:
    """What the monthly support depends on."""

    role: TeamRole = field(metadata=roster("role", TeamRole))
    concurrent_posts: frozenset[ConcurrentPost] = field(
        default=frozenset(), metadata=roster("concurrent_posts", posts_of)
    )
    # From the commune and the team's areas (months_of_members builds these itself).
    commune_kind: CommuneKind | None = None
    village_type: int | None = None
    minimum_wage_region: str | None = None  # "I".."IV" (Decree 74/2024/NĐ-CP)
    # Some resolutions pay extra by training level (Cần Thơ NQ 03/2024): the level's key as the
    # resolution names it; None = no qualifying level recorded.
    training_level: str | None = field(
        default=None, metadata=roster("person__education", training_level_of)
    )


def roster_facts() -> list[tuple[str, str, Callable[[Any], Any]]]:
    """(fact, lookup, reader) of every MemberFacts field read from the roster."""
    return [
        (f.name, f.metadata["roster"], f.metadata["read"])
        for f in fields(MemberFacts)
        if "roster" in f.metadata
    ]


class DutyKind(StrEnum):
    """Kinds of duty stipend (bồi dưỡng) under Law 30/2023/QH15 Art. 23(2)."""

    DAY = "day"  # a day on assigned duty (some provinces: of at least a number of hours)
    NIGHT = "night"  # duty between 22:00 and 06:00 (counted per night or per night shift)
    SHIFT = "shift"  # a duty shift, where the resolution pays per shift
    HOLIDAY = "holiday"  # duty on a rest day, public holiday or Tết
    TRAINING = "training"  # a day of training: the daily basic meal rate of a police conscript
    HARDSHIP = "hardship"  # extra per day in border, island, mountainous, … communes

    @property
    def label(self) -> str:
        return {
            "day": "Ngày làm nhiệm vụ",
            "night": "Đêm làm nhiệm vụ (22 giờ đến 06 giờ)",
            "shift": "Ca trực",
            "holiday": "Ngày nghỉ, ngày lễ, tết làm nhiệm vụ",
            "training": "Ngày tập trung huấn luyện, bồi dưỡng",
            "hardship": "Ngày làm nhiệm vụ ở địa bàn đặc biệt khó khăn, biên giới, hải đảo",
        }[self.value]

    @property
    def unit(self) -> str:
        return {"night": "đêm", "shift": "ca"}.get(self.value, "ngày")


@dataclass(frozen=True)
class DutyFacts:
    """How many units of each duty kind a member did in one month (days, nights, shifts).

    `days` says when they were done, as the duty log records them: (day, kind, units). It
    matters only in a month where a rate, a cap or the rule itself changes (Hải Dương's stipend
    from 21/12/2024): each unit is then paid under the values in force on its day. Build dated
    facts with `from_days`, which also fills `units`."""

    units: dict[DutyKind, int] = field(default_factory=dict)
    days: tuple[tuple[datetime.date, DutyKind, int], ...] = ()

    def __post_init__(self):
        for kind, count in self.units.items():
            if not isinstance(count, int) or count < 0:
                raise RuleError(
                    f"Số {DutyKind(kind).unit} «{DutyKind(kind).label}» phải là số nguyên không âm."
                )
        if self.days:
            totals: dict[DutyKind, int] = {}
            for _day, kind, count in self.days:
                totals[DutyKind(kind)] = totals.get(DutyKind(kind), 0) + count
            if {k: n for k, n in self.units.items() if n} != totals:
                raise ValueError("DutyFacts: units must be the totals of days (use from_days).")

    @classmethod
    def from_days(cls, days) -> DutyFacts:
        """Dated units, e.g. ``[(date(2024, 12, 21), DutyKind.DAY, 1), …]``."""
        days = tuple(sorted((day, DutyKind(kind), count) for day, kind, count in days if count))
        for _day, kind, count in days:
            if not isinstance(count, int) or count < 0:
                raise RuleError(f"Số {kind.unit} «{kind.label}» phải là số nguyên không âm.")
        totals: dict[DutyKind, int] = {}
        for _day, kind, count in days:
            totals[kind] = totals.get(kind, 0) + count
        return cls(totals, days)

    def between(self, first: datetime.date, last: datetime.date) -> DutyFacts:
        """The dated units done from `first` to `last` (both included)."""
        return DutyFacts.from_days(d for d in self.days if first <= d[0] <= last)


@dataclass(frozen=True)
class AmountResult:
    """A whole-VND amount with the citation, the trace and every parameter value used."""

    amount: int
    citation: str
    trace: tuple[TraceItem, ...]
    rule_module: str
    parameters: tuple = field(default=())  # of rules.parameters.ParameterValue


class RuleError(Exception):
    """A rule cannot be applied; the message says why, in Vietnamese, for the person at hand."""


class MissingParameters(RuleError):
    """One or more parameters have no value in force. Lists every one, so an administrator can
    enter them all at once instead of discovering them one error at a time."""

    def __init__(self, missing: list[tuple[str, str, str, datetime.date]]):
        # (key, label, jurisdiction name or "toàn quốc", day)
        self.missing = missing
        lines = [
            f"«{label}» ({key}) của {where}, áp dụng ngày {format_date(day)}"
            for key, label, where, day in missing
        ]
        super().__init__(
            "Chưa có giá trị tham số: "
            + "; ".join(lines)
            + ". Quản trị viên cần nhập giá trị kèm căn cứ (số nghị quyết, điều, khoản)."
        )
