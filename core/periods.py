"""Months, quarters and date windows: the periods that runs, lists and checks are made for.

Models keep storing a month or a quarter as a DateField holding its first day; these small
frozen values are what the code computes with (`Month.of(run.month).next()`), so the calendar
arithmetic ("the last day of February", "the quarter after Q4") is written once. The standard
library has no month or quarter type and dateutil's relativedelta is arithmetic, not a value
with a label, hence these few lines.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .formatting import format_date


class PeriodParseError(ValueError):
    """Text that is not a month ("13/2024", "tháng 8"): the message says how to type one."""


@dataclass(frozen=True, order=True)
class DateWindow:
    """The days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"DateWindow ends ({self.end}) before it starts ({self.start}).")

    @classmethod
    def open_ended(cls, start: datetime.date, end: datetime.date | None) -> DateWindow:
        """A window whose end may be unknown yet (a membership still running)."""
        return cls(start, end or datetime.date.max)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def contains(self, day: datetime.date) -> bool:
        return day in self

    def overlaps(self, other: DateWindow) -> bool:
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: DateWindow) -> DateWindow | None:
        if not self.overlaps(other):
            return None
        return DateWindow(max(self.start, other.start), min(self.end, other.end))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; stored in the database as its first day."""

    year: int
    month: int

    kind = "month"  # the placeholder its messages use: "Tháng %(month)s chưa đến"

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"Month {self.month} of {self.year} does not exist.")

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        """The month a day falls in."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """ "08/2024", "8/2024" or "2024-08" → August 2024."""
        text = text.strip()
        match = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
        if match:
            month, year = int(match[1]), int(match[2])
        elif match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            year, month = int(match[1]), int(match[2])
        else:
            month = year = 0
        if not 1 <= month <= 12 or year < 1:
            raise PeriodParseError(_("Nhập tháng theo dạng tháng/năm, ví dụ 08/2024."))
        return cls(year, month)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.days)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def window(self) -> DateWindow:
        return DateWindow(self.first_day, self.last_day)

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, (self.month - 1) // 3 + 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def label(self) -> str:
        """ "08/2024", as pages and documents print a month."""
        return f"{self.month:02d}/{self.year}"

    # In a sentence a month reads the same: "Tháng 08/2024 chưa đến".
    in_sentence = label

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter (q = 1…4); stored in the database as its first day."""

    year: int
    q: int

    kind = "quarter"  # the placeholder its messages use: "Chưa đến %(quarter)s"

    def __post_init__(self):
        if not 1 <= self.q <= 4:
            raise ValueError(f"Quarter {self.q} of {self.year} does not exist.")

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        """The quarter a day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def months(self) -> tuple[Month, Month, Month]:
        first = 3 * (self.q - 1) + 1
        return (Month(self.year, first), Month(self.year, first + 1), Month(self.year, first + 2))

    @property
    def first_day(self) -> datetime.date:
        return self.months[0].first_day

    @property
    def last_day(self) -> datetime.date:
        return self.months[-1].last_day

    @property
    def days(self) -> int:
        return self.window.days

    @property
    def window(self) -> DateWindow:
        return DateWindow(self.first_day, self.last_day)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def label(self) -> str:
        """ "Quý 3/2024", as a heading or a choice prints it."""
        return f"Quý {self.q}/{self.year}"

    @property
    def in_sentence(self) -> str:
        """ "quý 3/2024", inside a sentence: "Chưa đến quý 3/2024"."""
        return f"quý {self.q}/{self.year}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class EvaluationYear:
    """A yearly evaluation window named by the year it ends in, starting on (`start_day`,
    `start_month`) of the year before: with 1/11, 2025 is 01/11/2024 – 31/10/2025 (the
    residential areas of Circular 124/2021/TT-BCA Art. 8 cl. 2); with 16/11, 16/11/2024 –
    15/11/2025 (communes, agencies, enterprises, schools). The start is a setting."""

    year: int
    start_day: int = 1
    start_month: int = 11

    kind = "year"

    @classmethod
    def of(cls, day: datetime.date, *, start_day: int = 1, start_month: int = 11) -> EvaluationYear:
        """The evaluation year a day belongs to."""
        after_start = (day.month, day.day) >= (start_month, start_day)
        return cls(day.year + 1 if after_start else day.year, start_day, start_month)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year - 1, self.start_month, self.start_day)

    @property
    def end(self) -> datetime.date:
        following = datetime.date(self.year, self.start_month, self.start_day)
        return following - datetime.timedelta(days=1)

    first_day = start
    last_day = end

    @property
    def window(self) -> DateWindow:
        return DateWindow(self.start, self.end)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def quarter_one(self) -> Quarter:
        """Quarter I of the year the window ends in."""
        return Quarter(self.year, 1)

    def next(self) -> EvaluationYear:
        return EvaluationYear(self.year + 1, self.start_day, self.start_month)

    def previous(self) -> EvaluationYear:
        return EvaluationYear(self.year - 1, self.start_day, self.start_month)

    @property
    def label(self) -> str:
        """ "Năm 2025 (01/11/2024 – 31/10/2025)"."""
        return f"Năm {self.year} ({format_date(self.start)} – {format_date(self.end)})"

    @property
    def in_sentence(self) -> str:
        return f"kỳ đánh giá {format_date(self.start)} – {format_date(self.end)}"

    def __str__(self) -> str:
        return self.label


def check_period_of_unit(
    period: Month | Quarter,
    *,
    unit_name: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    today: datetime.date,
    future: str,
    ended: str,
    not_started: str,
) -> None:
    """Refuse a period that has not begun yet, or that lies outside the unit's lifetime.

    The messages are the caller's (a run and a list say it differently); each is formatted
    with the period in its own placeholder (`%(month)s`, `%(quarter)s`), `%(unit)s`, and
    `%(end)s` / `%(start)s` for the unit's last / first day.
    """
    values = {period.kind: period.in_sentence, "unit": unit_name}
    if period.first_day > today:  # it begins after the period containing today
        raise ValidationError(future % values)
    if valid_to and period.first_day > valid_to:
        raise ValidationError(ended % {**values, "end": format_date(valid_to)})
    if valid_from and period.last_day < valid_from:
        raise ValidationError(not_started % {**values, "start": format_date(valid_from)})
