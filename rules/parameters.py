"""Dated, cited parameters: every figure a rule uses is data, not code.

A parameter value applies from `effective_from`; it stays in force until `effective_to` if set,
otherwise until a later value of the same key and jurisdiction takes over. So a base-salary rise
is one new row, and the old value keeps answering for the months before it. Asking for a day
with no value in force raises `MissingParameters` naming the parameter, jurisdiction and day:
never a silent fallback to another value.

Values are exact: money and counts are `int`, coefficients, percentages and ratios are
`Fraction` ("0.8", "22", "1/3"), member bands are tuples of (from, members).
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Protocol

from .base import MissingParameters
from .catalogue import FIXTURES_DIR, parameter_label
from .names import NATIONAL, jurisdiction_name


class Unit(StrEnum):
    VND = "vnd"  # whole đồng
    COEFFICIENT = "coefficient"  # multiplied by the base salary (hệ số × lương cơ sở)
    PERCENT = "percent"  # "22" means 22 %
    RATIO = "ratio"  # a plain fraction, e.g. "1/3"
    COUNT = "count"  # members, days, months
    HOUSEHOLDS = "households"
    RESIDENTS = "residents"
    BANDS = "bands"  # "0:3, 350:4, 500:5" — from this many (households/residents): members
    CHOICE = "choice"  # one word from a fixed list, e.g. a partial-month policy

    @property
    def label(self) -> str:
        return {
            "vnd": "đồng", "coefficient": "hệ số × lương cơ sở", "percent": "%",
            "ratio": "tỷ lệ", "count": "số lượng", "households": "hộ", "residents": "nhân khẩu",
            "bands": "bậc", "choice": "lựa chọn",
        }[self.value]  # fmt: skip


class Source(StrEnum):
    """Where a parameter's value comes from (issue 12 item 7). Only the text itself counts as
    verified: a figure from the press, a software default or a demo value is shown as
    unverified on every page and document that uses it."""

    RESOLUTION = "resolution"  # read in the legal text (nghị quyết, nghị định, luật, thông tư)
    PRESS = "press"  # press or another secondary source: the text was not seen
    DEFAULT = "default"  # the software's assumption where no text says it
    DEMO = "demo"  # entered by seed_demo: not a real figure

    @property
    def label(self) -> str:
        return {
            "resolution": "Văn bản quy phạm pháp luật (đã đối chiếu)",
            "press": "Báo chí, nguồn thứ cấp (chưa xác minh)",
            "default": "Mặc định của phần mềm (chưa có văn bản)",
            "demo": "Giá trị trình diễn (không phải số liệu thật)",
        }[self.value]

    @property
    def short(self) -> str:
        """The words put after a value in traces: "1.100.000 đ (chưa xác minh: báo chí)"."""
        return {
            "resolution": "",
            "press": "chưa xác minh: báo chí",
            "default": "chưa xác minh: mặc định của phần mềm",
            "demo": "giá trị trình diễn",
        }[self.value]

    @property
    def verified(self) -> bool:
        return self is Source.RESOLUTION


def source_of(entry: dict) -> Source:
    """The source recorded in a snapshot's parameter entry; entries written before sources
    existed only say ``verified`` (false meant a secondary source)."""
    if entry.get("source"):
        return Source(entry["source"])
    return Source.RESOLUTION if entry.get("verified", True) else Source.PRESS


Value = int | Fraction | tuple[tuple[int, int], ...] | str
INTEGER_UNITS = {Unit.VND, Unit.COUNT, Unit.HOUSEHOLDS, Unit.RESIDENTS}


def parse_value(text: str, unit: Unit) -> Value:
    """Parse the text an administrator types (or a fixture holds) into an exact value.

    Raises ValueError with a Vietnamese message saying what was expected.
    """
    raw = str(text).strip().replace(" ", "")
    try:
        if unit in {Unit.HOUSEHOLDS, Unit.RESIDENTS} and "/" in raw:
            # A step of "1/3 of 500 households" is written 500/3 and compared exactly.
            value = Fraction(raw)
            if value <= 0:
                raise ValueError
            return value
        if unit in INTEGER_UNITS:
            # "1.100.000" and "1100000" both mean one million one hundred thousand.
            whole = int(raw.replace(".", "").replace(",", ""))
            if whole < 0:
                raise ValueError
            return whole
        if unit in {Unit.COEFFICIENT, Unit.PERCENT, Unit.RATIO}:
            value = Fraction(raw.replace(",", "."))
            if value < 0:
                raise ValueError
            return value
        if unit == Unit.BANDS:
            bands = []
            for part in raw.split(";") if ";" in raw else raw.split(","):
                start, members = part.split(":")
                bands.append((int(start), int(members)))
            if not bands or bands[0][0] != 0 or sorted(bands) != bands:
                raise ValueError
            return tuple(bands)
        if unit == Unit.CHOICE:
            if not raw:
                raise ValueError
            return raw
    except (ValueError, ZeroDivisionError):
        pass
    examples = {
        Unit.VND: "số đồng, ví dụ 1100000",
        Unit.COEFFICIENT: "hệ số, ví dụ 0,8",
        Unit.PERCENT: "phần trăm, ví dụ 22",
        Unit.RATIO: "tỷ lệ, ví dụ 1/3",
        Unit.COUNT: "số nguyên, ví dụ 3",
        Unit.HOUSEHOLDS: "số hộ, ví dụ 350",
        Unit.RESIDENTS: "số nhân khẩu, ví dụ 2700",
        Unit.BANDS: "các bậc «từ:số thành viên» bắt đầu từ 0, ví dụ 0:3; 350:4; 500:5",
        Unit.CHOICE: "một lựa chọn",
    }
    raise ValueError(f"Giá trị «{text}» không hợp lệ: cần {examples[unit]}.")


def format_value(value: Value, unit: Unit) -> str:
    """How a value is written in traces and on screen (1.100.000 đ, 0,8, 22 %, 500/3, 3)."""
    if isinstance(value, tuple):  # Unit.BANDS
        return "; ".join(f"từ {start}: {members}" for start, members in value)
    if isinstance(value, str):  # Unit.CHOICE
        return value
    text = format_fraction(Fraction(value))
    if unit == Unit.VND:
        return f"{text} đ"
    return f"{text} %" if unit == Unit.PERCENT else text


def value_text(value: Value, unit: Unit) -> str:
    """The canonical text a value is stored as; `parse_value` reads it back exactly."""
    if isinstance(value, tuple):  # Unit.BANDS
        return "; ".join(f"{start}:{members}" for start, members in value)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        decimal = format_fraction(value)
        return decimal.replace(".", "").replace(",", ".") if "/" not in decimal else decimal
    return str(value)


# Traces write the same few values (a base salary, a coefficient) hundreds of thousands of
# times when a province's runs are computed: the text of a value is worked out once.
@functools.lru_cache(maxsize=4096)
def format_fraction(value: Fraction) -> str:
    """Vietnamese digits: 1100000 → "1.100.000", 0.8 → "0,8"; a value with no short decimal
    form stays an exact fraction (500/3) rather than 166,666…"""
    for places in range(0, 7):
        scaled = value * 10**places
        if scaled.denominator == 1:
            whole, frac = divmod(abs(scaled.numerator), 10**places)
            sign = "-" if value < 0 else ""
            grouped = f"{whole:,}".replace(",", ".")
            return f"{sign}{grouped}" + (f",{frac:0{places}d}".rstrip("0") if places else "")
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class ParameterValue:
    key: str
    jurisdiction: str  # "" for national parameters
    value: Value
    unit: Unit
    effective_from: datetime.date
    citation: str
    effective_to: datetime.date | None = None
    source: Source = Source.RESOLUTION
    note: str = ""

    @property
    def verified(self) -> bool:
        return self.source.verified

    @property
    def label(self) -> str:
        return parameter_label(self.key)

    @functools.cached_property
    def shown(self) -> str:
        # Cached on the instance (a frozen dataclass still has a __dict__): every trace and
        # snapshot entry of a run asks for it again.
        return format_value(self.value, self.unit)

    @property
    def number(self) -> Fraction:
        """The value as an exact number (money, count, coefficient, percent, ratio)."""
        if isinstance(self.value, (int, Fraction)):
            return Fraction(self.value)
        raise TypeError(f"{self.key}: «{self.unit.label}» không phải là số")

    @property
    def whole(self) -> int:
        """The value as a whole number (đồng, a count)."""
        if isinstance(self.value, int):
            return self.value
        raise TypeError(f"{self.key}: «{self.unit.label}» không phải là số nguyên")

    @property
    def bands(self) -> tuple[tuple[int, int], ...]:
        """The value as bands (from, members), Unit.BANDS."""
        if isinstance(self.value, tuple):
            return self.value
        raise TypeError(f"{self.key}: «{self.unit.label}» không phải là các bậc")

    @property
    def choice(self) -> str:
        """The value as one of a list of choices, Unit.CHOICE."""
        if isinstance(self.value, str):
            return self.value
        raise TypeError(f"{self.key}: «{self.unit.label}» không phải là một lựa chọn")

    def applies_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def as_dict(self) -> dict:
        """The form stored in snapshots: enough to say later exactly which value was used."""
        return {
            "key": self.key,
            "jurisdiction": self.jurisdiction,
            "value": self.shown,
            "effective_from": self.effective_from.isoformat(),
            "citation": self.citation,
            "source": self.source.value,
            "verified": self.verified,
        }


class ParameterSource(Protocol):
    def get(self, key: str, *, jurisdiction: str, on: datetime.date) -> ParameterValue: ...

    def find(self, key: str, *, jurisdiction: str, on: datetime.date) -> ParameterValue | None: ...

    def get_all(
        self, keys: Iterable[str], *, jurisdiction: str, on: datetime.date
    ) -> dict[str, ParameterValue]: ...


def _effective_from(value: ParameterValue) -> datetime.date:
    return value.effective_from


class ParameterTable:
    """Parameter values held in memory, looked up by key, jurisdiction and day.

    Built from fixture files (tests, calculator what-ifs) or from the database rows an
    administrator maintains (`rules.models.database_parameters`).
    """

    def __init__(self, values: Iterable[ParameterValue] = ()):
        self._by_key: dict[tuple[str, str], list[ParameterValue]] = defaultdict(list)
        # The days on which some value of a jurisdiction starts or stops applying, worked out
        # once: `change_days` is asked for every member and month of a run.
        self._change_points: dict[str, frozenset[datetime.date]] = {}
        # Each key's values sorted once, not once per value added: the same order (the sort
        # is stable either way), for a table read from the database on every quota page.
        for value in values:
            self._by_key[(value.key, value.jurisdiction)].append(value)
        for rows in self._by_key.values():
            rows.sort(key=_effective_from)

    def add(self, value: ParameterValue) -> None:
        rows = self._by_key[(value.key, value.jurisdiction)]
        rows.append(value)
        rows.sort(key=_effective_from)
        self._change_points.clear()

    def __iter__(self):
        for rows in self._by_key.values():
            yield from rows

    def find(self, key: str, *, jurisdiction: str, on: datetime.date) -> ParameterValue | None:
        """The value in force on `on`: the latest one that started on or before that day and
        has not ended. None when there is none."""
        for value in reversed(self._by_key.get((key, jurisdiction), [])):
            if value.effective_from <= on:
                return value if value.applies_on(on) else None
        return None

    def get(self, key: str, *, jurisdiction: str, on: datetime.date) -> ParameterValue:
        value = self.find(key, jurisdiction=jurisdiction, on=on)
        if value is None:
            raise MissingParameters([(key, parameter_label(key), where(jurisdiction), on)])
        return value

    def change_days(
        self, *, jurisdiction: str, first: datetime.date, last: datetime.date
    ) -> set[datetime.date]:
        """Days after `first` and up to `last` on which a value of the jurisdiction or a
        national one starts or stops applying: where a month splits into day segments."""
        return {day for day in self._change_points_of(jurisdiction) if first < day <= last}

    def _change_points_of(self, jurisdiction: str) -> frozenset[datetime.date]:
        """Every day a value of the jurisdiction or a national one starts applying, or the day
        after one stops (its `effective_to` + 1: `first <= effective_to < last` above is
        `first < effective_to + 1 <= last`)."""
        points = self._change_points.get(jurisdiction)
        if points is None:
            days = set()
            for (_key, where_), rows in self._by_key.items():
                if where_ not in {jurisdiction, NATIONAL}:
                    continue
                for value in rows:
                    days.add(value.effective_from)
                    if value.effective_to is not None and value.effective_to < datetime.date.max:
                        days.add(value.effective_to + datetime.timedelta(days=1))
            points = self._change_points[jurisdiction] = frozenset(days)
        return points

    def get_all(
        self, keys: Iterable[str], *, jurisdiction: str, on: datetime.date
    ) -> dict[str, ParameterValue]:
        """Several values at once; when some are missing, one error lists them all."""
        found, missing = {}, []
        for key in keys:
            value = self.find(key, jurisdiction=jurisdiction, on=on)
            if value is None:
                missing.append((key, parameter_label(key), where(jurisdiction), on))
            else:
                found[key] = value
        if missing:
            raise MissingParameters(missing)
        return found


def where(jurisdiction: str) -> str:
    return jurisdiction_name(jurisdiction) if jurisdiction != NATIONAL else "toàn quốc"


def load_fixture_file(path: Path) -> list[ParameterValue]:
    """Read one TOML file of dated parameters (see fixtures/rules/README.md for the format).

    Every value says where it comes from: the file's ``source`` (required), or the row's own.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    jurisdiction = str(data.get("jurisdiction", NATIONAL))
    if data.get("source") not in {s.value for s in Source}:
        raise ValueError(
            f"{path.name}: thiếu hoặc sai «source» của tệp (resolution, press, default, demo)."
        )
    values = []
    for row in data.get("parameter", []):
        unit = Unit(row["unit"])
        if "verified" in row:
            raise ValueError(
                f"{path.name}: {row['key']}: «verified» không còn dùng; ghi source = "
                '"resolution" (văn bản), "press" (báo chí), "default" hoặc "demo".'
            )
        try:
            value = parse_value(row["value"], unit)
            source = Source(row.get("source", data["source"]))
        except ValueError as exc:
            raise ValueError(f"{path.name}: {row['key']}: {exc}") from exc
        values.append(
            ParameterValue(
                key=row["key"],
                jurisdiction=str(row.get("jurisdiction", jurisdiction)),
                value=value,
                unit=unit,
                effective_from=row["from"],
                effective_to=row.get("to"),
                citation=row["citation"],
                source=source,
                note=row.get("note", ""),
            )
        )
    return values


def load_fixtures(directory: Path = FIXTURES_DIR) -> list[ParameterValue]:
    return [v for path in sorted(directory.glob("*.toml")) for v in load_fixture_file(path)]


def fixture_table() -> ParameterTable:
    """All shipped parameter values, straight from fixtures/ (no database)."""
    return ParameterTable(load_fixtures())
