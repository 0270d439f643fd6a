"""The "An toàn về an ninh, trật tự" standard (Circular 124/2021/TT-BCA, amended by Circular
48/2025/TT-BCA) as dated, cited data and pure functions.

One criterion is a code, a text, a citation and the days it is in force; its `kind` says how it
is decided (see fixtures/rules/safe_areas/t124_2021.toml). The criteria live in TOML files under
``fixtures/rules/safe_areas/``: the Circular's own (no ``province``) and any a province adds
(Art. 8 cl. 1) in a file of its own with ``province = "<code>"`` and its citation, so a new
criterion is data, never code. The thresholds of the commune criterion (100 % registered,
70 % recognised) are dated data too.

Everything here is plain Python: tests need no database (design.md §3).
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Protocol

from .base import RuleError
from .dates import format_date

CRITERIA_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "safe_areas"


class Subject(StrEnum):
    AREA = "area"  # khu dân cư (Art. 4)
    COMMUNE = "commune"  # xã, phường, đặc khu (Art. 5)


class Kind(StrEnum):
    REGISTRATION = "registration"
    EVENT = "event"
    ASSESSED = "assessed"
    COMMUNE_REGISTRATION = "commune_registration"
    DISCIPLINE = "discipline"
    SHARE = "share"


@dataclass(frozen=True)
class Criterion:
    code: str
    subject: Subject
    kind: Kind
    text: str
    citation: str
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    province: str = ""  # "" = the Circular's; else the province that added it (Art. 8 cl. 1)
    verified: bool = True
    note: str = ""

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def label(self) -> str:
        return f"{self.code}: {self.text}"


@dataclass(frozen=True)
class Share:
    key: str  # "registered" | "recognised"
    percent: Fraction
    valid_from: datetime.date
    citation: str
    valid_to: datetime.date | None = None
    province: str = ""


@dataclass(frozen=True)
class Catalogue:
    criteria: tuple[Criterion, ...]
    shares: tuple[Share, ...]

    def for_subject(
        self, subject: Subject, *, on: datetime.date, province: str = ""
    ) -> list[Criterion]:
        """The criteria in force on `on` for `subject`: the Circular's, then the province's."""
        found = [
            c
            for c in self.criteria
            if c.subject == subject and c.in_force(on) and c.province in ("", province)
        ]
        if not found:
            raise RuleError(
                f"Không có tiêu chí «An toàn về an ninh, trật tự» nào có hiệu lực ngày "
                f"{format_date(on)}: kiểm tra dữ liệu trong fixtures/rules/safe_areas/."
            )
        # the order of the files: the Circular's articles as written, then the province's
        return sorted(found, key=lambda c: c.province != "")

    def share(self, key: str, *, on: datetime.date, province: str = "") -> Share:
        candidates = [
            s
            for s in self.shares
            if s.key == key
            and s.valid_from <= on
            and (s.valid_to is None or on <= s.valid_to)
            and s.province in ("", province)
        ]
        if not candidates:
            raise RuleError(
                f"Chưa có tỷ lệ «{key}» của tiêu chí xã có hiệu lực ngày {format_date(on)}."
            )
        # a province's own threshold (if any) wins over the Circular's; the latest start wins
        return max(candidates, key=lambda s: (s.province != "", s.valid_from))


def _date(value, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    raise ValueError(f"{where}: ngày phải viết dạng 2025-01-31, nhận được {value!r}.")


def parse_catalogue(documents: Iterable[tuple[str, Mapping]]) -> Catalogue:
    """Criteria and shares from parsed TOML documents ((name, data) pairs). Raises ValueError
    naming the file and the entry when an entry lacks a field or has a bad value."""
    criteria: list[Criterion] = []
    shares: list[Share] = []
    for name, data in documents:
        province = str(data.get("province", ""))
        for i, row in enumerate(data.get("criterion", []), start=1):
            where = f"{name}, tiêu chí thứ {i}"
            try:
                criterion = Criterion(
                    code=row["code"],
                    subject=Subject(row["subject"]),
                    kind=Kind(row["kind"]),
                    text=row["text"],
                    citation=row["citation"],
                    valid_from=_date(row["from"], where),
                    valid_to=_date(row["to"], where) if "to" in row else None,
                    province=province,
                    verified=bool(row.get("verified", True)),
                    note=row.get("note", ""),
                )
            except KeyError as exc:
                raise ValueError(f"{where}: thiếu trường {exc.args[0]}.") from None
            if not criterion.citation.strip():
                raise ValueError(f"{where}: cần ghi căn cứ (citation).")
            if not criterion.verified and "CHƯA XÁC MINH" not in criterion.note:
                raise ValueError(f"{where}: tiêu chí chưa xác minh phải ghi «CHƯA XÁC MINH».")
            criteria.append(criterion)
        for i, row in enumerate(data.get("share", []), start=1):
            where = f"{name}, tỷ lệ thứ {i}"
            try:
                shares.append(
                    Share(
                        key=row["key"],
                        percent=Fraction(row["percent"]),
                        valid_from=_date(row["from"], where),
                        valid_to=_date(row["to"], where) if "to" in row else None,
                        citation=row["citation"],
                        province=province,
                    )
                )
            except KeyError as exc:
                raise ValueError(f"{where}: thiếu trường {exc.args[0]}.") from None
    seen: dict[tuple[str, str, datetime.date], Criterion] = {}
    for c in criteria:
        key = (c.province, c.code, c.valid_from)
        if key in seen:
            raise ValueError(f"Tiêu chí {c.code} (tỉnh {c.province or '—'}) khai báo hai lần.")
        seen[key] = c
    return Catalogue(tuple(criteria), tuple(shares))


def load_catalogue(directory: Path = CRITERIA_DIR) -> Catalogue:
    documents = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as f:
            documents.append((path.name, tomllib.load(f)))
    return parse_catalogue(documents)


@cache
def catalogue() -> Catalogue:
    """The shipped criteria, read once per process."""
    return load_catalogue()


# --- Evaluation periods (Art. 8 cl. 2) ------------------------------------------------------


class Window(Protocol):
    """A yearly evaluation window (core.periods.EvaluationYear): `year` is the year it ends in."""

    @property
    def year(self) -> int: ...
    @property
    def start(self) -> datetime.date: ...
    @property
    def end(self) -> datetime.date: ...


def in_window(day: datetime.date, period: Window) -> bool:
    return period.start <= day <= period.end


def quarter_one(period: Window) -> tuple[datetime.date, datetime.date]:
    """Quarter I of the year the period ends in: when registration happens (Art. 4 cl. 1)."""
    return datetime.date(period.year, 1, 1), datetime.date(period.year, 3, 31)


# --- Residential area (Art. 4, Art. 8) ---------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    resolution_number: str
    resolution_date: datetime.date | None
    registered_on: datetime.date | None
    households_registered: int
    households_total: int

    @property
    def households_missing(self) -> int:
        return max(0, self.households_total - self.households_registered)


@dataclass(frozen=True)
class Event:
    criterion: str
    occurred_on: datetime.date
    description: str


@dataclass(frozen=True)
class Answer:
    met: bool
    evidence: str = ""


@dataclass(frozen=True)
class Outcome:
    criterion: Criterion
    met: bool | None  # None: not answered yet
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.met is False]

    @property
    def unanswered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.met is None]

    @property
    def passed(self) -> bool:
        """All criteria hold (Art. 8: failing one means "chưa đạt")."""
        return all(o.met is True for o in self.outcomes)


def registration_reasons(registration: Registration | None, period: Window) -> list[str]:
    """What keeps the registration criterion from being met (empty = met)."""
    if registration is None:
        return ["Khu dân cư chưa đăng ký phấn đấu đạt tiêu chuẩn trong năm."]
    reasons = []
    q_start, q_end = quarter_one(period)
    if not registration.resolution_number.strip() or registration.resolution_date is None:
        reasons.append("Chưa có nghị quyết của chi bộ (số, ngày).")
    elif not q_start <= registration.resolution_date <= q_end:
        reasons.append(
            f"Nghị quyết của chi bộ ngày {format_date(registration.resolution_date)} không trong "
            f"quý I ({format_date(q_start)} – {format_date(q_end)})."
        )
    if registration.registered_on is None or not q_start <= registration.registered_on <= q_end:
        reasons.append(
            f"Ngày đăng ký {format_date(registration.registered_on)} không trong quý I "
            f"({format_date(q_start)} – {format_date(q_end)})."
        )
    if registration.households_missing:
        reasons.append(
            f"Còn {registration.households_missing}/{registration.households_total} hộ chưa "
            "đăng ký (cần 100% hộ gia đình)."
        )
    return reasons


def evaluate_area(
    criteria: Sequence[Criterion],
    *,
    period: Window,
    registration: Registration | None,
    events: Iterable[Event] = (),
    answers: Mapping[str, Answer] | None = None,
) -> Evaluation:
    """Each criterion's outcome: registration computed, event criteria failed by any event in
    the period (whatever the self-assessment says), the others as self-assessed."""
    answers = answers or {}
    by_criterion: dict[str, list[Event]] = {}
    for event in events:
        if in_window(event.occurred_on, period):
            by_criterion.setdefault(event.criterion, []).append(event)
    outcomes = []
    for c in criteria:
        if c.kind == Kind.REGISTRATION:
            reasons = registration_reasons(registration, period)
            outcomes.append(Outcome(c, not reasons, tuple(reasons)))
        elif c.kind == Kind.EVENT and by_criterion.get(c.code):
            happened = tuple(
                f"Ngày {format_date(e.occurred_on)}: {e.description}"
                for e in sorted(by_criterion[c.code], key=lambda e: e.occurred_on)
            )
            outcomes.append(Outcome(c, False, happened))
        else:
            answer = answers.get(c.code)
            if answer is None:
                outcomes.append(Outcome(c, None))
            elif answer.met:
                outcomes.append(Outcome(c, True))
            else:
                note = answer.evidence.strip() or "Tự đánh giá: chưa đạt."
                outcomes.append(Outcome(c, False, (note,)))
    return Evaluation(tuple(outcomes))


# --- Commune (Art. 5) --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareResult:
    """Art. 5 cl. 4 over the areas, agencies, enterprises and schools a commune manages."""

    total: int
    registered: int
    recognised: int
    registered_needed: Fraction
    recognised_needed: Fraction
    citation: str
    details: tuple[str, ...] = field(default=())

    @property
    def registered_share(self) -> Fraction:
        return Fraction(self.registered, self.total) if self.total else Fraction(0)

    @property
    def recognised_share(self) -> Fraction:
        return Fraction(self.recognised, self.total) if self.total else Fraction(0)

    @property
    def reasons(self) -> list[str]:
        out = []
        if not self.total:
            out.append("Xã chưa có khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục nào.")
            return out
        if self.registered_share * 100 < self.registered_needed:
            out.append(
                f"Mới {self.registered}/{self.total} đơn vị đăng ký "
                f"({percent_label(self.registered_share)}); cần "
                f"{percent_label(self.registered_needed / 100)}."
            )
        if self.recognised_share * 100 < self.recognised_needed:
            out.append(
                f"Mới {self.recognised}/{self.total} đơn vị được công nhận "
                f"({percent_label(self.recognised_share)}); cần từ "
                f"{percent_label(self.recognised_needed / 100)} trở lên."
            )
        return out

    @property
    def met(self) -> bool:
        return not self.reasons


def percent_label(share: Fraction) -> str:
    """Fraction(699, 1000) → "69,9 %"; rounded half up to one decimal for display only (the
    comparison itself is exact)."""
    tenths = (share * 1000 + Fraction(1, 2)) // 1
    whole, rest = divmod(int(tenths), 10)
    return f"{whole} %" if rest == 0 else f"{whole},{rest} %"


def commune_share(
    *,
    total: int,
    registered: int,
    recognised: int,
    on: datetime.date,
    province: str = "",
    source: Catalogue | None = None,
) -> ShareResult:
    """The exact shares against the thresholds in force on `on`: 7 of 10 recognised is 70 %
    and meets "từ 70% trở lên"; 699 of 1,000 (69.9 %) does not. Counts, never typed shares."""
    if not 0 <= recognised <= registered <= total:
        raise RuleError(
            "Số đơn vị được công nhận không thể vượt số đã đăng ký, số đã đăng ký không thể "
            "vượt tổng số."
        )
    source = source or catalogue()
    reg = source.share("registered", on=on, province=province)
    rec = source.share("recognised", on=on, province=province)
    citation = reg.citation if reg.citation == rec.citation else f"{reg.citation}; {rec.citation}"
    return ShareResult(
        total=total,
        registered=registered,
        recognised=recognised,
        registered_needed=reg.percent,
        recognised_needed=rec.percent,
        citation=citation,
    )
