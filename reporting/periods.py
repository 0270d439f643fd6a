"""Reporting periods: data windows, due dates and entry locks (pure, no database).

Defaults follow the province's plan (seed 000: "hằng tháng (trước ngày 15) và hằng năm (trước
ngày 15 tháng 12)") and Decree 09/2019/NĐ-CP Art. 12 on data cut-off: a monthly report covers
the 15th of the previous month to the 14th of the reporting month; an annual report covers 15
December of the previous year to 14 December. "Before the 15th" makes the 14th the last on-time
day. Data entry for a period locks `lock_after_days` after the due day, unless a provincial
user opens a reasoned exception for one unit (reporting.models.LockException).

All of it is configurable through settings.REPORTING (see `ReportingRules.from_settings`).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTHLY = "monthly"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return {"monthly": "Báo cáo tháng", "annual": "Báo cáo năm"}[self.value]


@dataclass(frozen=True)
class ReportingRules:
    window_start_day: int = 15  # the window opens on this day of the previous month/December
    due_before_day: int = 15  # due before this day of the reporting month (December for annual)
    annual_month: int = 12
    lock_after_days: int = 10  # entry locks this many days after the last on-time day

    @classmethod
    def from_settings(cls) -> ReportingRules:
        from django.conf import settings

        return cls(**getattr(settings, "REPORTING", {}))


def _clamp(year: int, month: int, day: int) -> datetime.date:
    """Day `day` of a month, or its last day when the month is shorter."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    month: int | None = None  # None for annual periods
    rules: ReportingRules = ReportingRules()

    @classmethod
    def monthly(cls, year: int, month: int, rules: ReportingRules | None = None) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"Tháng {month} không hợp lệ.")
        return cls(PeriodKind.MONTHLY, year, month, rules or ReportingRules())

    @classmethod
    def annual(cls, year: int, rules: ReportingRules | None = None) -> Period:
        return cls(PeriodKind.ANNUAL, year, None, rules or ReportingRules())

    @classmethod
    def parse(cls, text: str, rules: ReportingRules | None = None) -> Period:
        """ "2024-08" → the August 2024 monthly period; "2024" → the 2024 annual period."""
        try:
            if "-" in text:
                year, month = text.split("-")
                return cls.monthly(int(year), int(month), rules)
            return cls.annual(int(text), rules)
        except ValueError:
            raise ValueError(
                f"Kỳ báo cáo «{text}» không hợp lệ: dùng YYYY-MM cho tháng, YYYY cho năm."
            ) from None

    @classmethod
    def containing(
        cls, kind: PeriodKind, day: datetime.date, rules: ReportingRules | None = None
    ) -> Period:
        """The period whose data window contains `day` (16 Aug 2024 → September 2024)."""
        rules = rules or ReportingRules()
        if kind == PeriodKind.MONTHLY:
            if day.day >= rules.window_start_day:
                year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
                return cls.monthly(year, month, rules)
            return cls.monthly(day.year, day.month, rules)
        opens = _clamp(day.year, rules.annual_month, rules.window_start_day)
        return cls.annual(day.year + 1 if day >= opens else day.year, rules)

    @property
    def key(self) -> str:
        return (
            f"{self.year}-{self.month:02d}" if self.kind == PeriodKind.MONTHLY else str(self.year)
        )

    @property
    def label(self) -> str:
        """Vietnamese, as official documents and e-mails print it."""
        if self.kind == PeriodKind.MONTHLY:
            return f"Tháng {self.month:02d}/{self.year}"
        return f"Năm {self.year}"

    @property
    def display(self) -> str:
        """The label in the reader's language, for pages."""
        from django.utils.translation import gettext

        if self.kind == PeriodKind.MONTHLY:
            return gettext("Tháng %(month)s/%(year)s") % {
                "month": f"{self.month:02d}",
                "year": self.year,
            }
        return gettext("Năm %(year)s") % {"year": self.year}

    @property
    def window_start(self) -> datetime.date:
        if self.kind == PeriodKind.MONTHLY:
            year, month = _previous_month(self.year, self.month)
            return _clamp(year, month, self.rules.window_start_day)
        return _clamp(self.year - 1, self.rules.annual_month, self.rules.window_start_day)

    @property
    def window_end(self) -> datetime.date:
        month = self.month if self.kind == PeriodKind.MONTHLY else self.rules.annual_month
        return _clamp(self.year, month, self.rules.window_start_day) - datetime.timedelta(days=1)

    @property
    def last_on_time_day(self) -> datetime.date:
        """The due date: the last day a submission counts as on time."""
        month = self.month if self.kind == PeriodKind.MONTHLY else self.rules.annual_month
        return _clamp(self.year, month, self.rules.due_before_day) - datetime.timedelta(days=1)

    @property
    def locks_on(self) -> datetime.date:
        """First day on which entry is locked (without an exception)."""
        return self.last_on_time_day + datetime.timedelta(days=self.rules.lock_after_days + 1)

    def contains(self, day: datetime.date) -> bool:
        return self.window_start <= day <= self.window_end

    def is_late(self, submitted_on: datetime.date) -> bool:
        return submitted_on > self.last_on_time_day

    def is_locked(self, today: datetime.date) -> bool:
        return today >= self.locks_on

    def previous(self) -> Period:
        if self.kind == PeriodKind.MONTHLY:
            year, month = _previous_month(self.year, self.month)
            return Period.monthly(year, month, self.rules)
        return Period.annual(self.year - 1, self.rules)

    def next(self) -> Period:
        if self.kind == PeriodKind.MONTHLY:
            assert self.month is not None
            year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
            return Period.monthly(year, month, self.rules)
        return Period.annual(self.year + 1, self.rules)
