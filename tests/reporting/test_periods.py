"""Reporting windows, due dates and locks: the 14th/15th boundaries (no database)."""

import datetime

import pytest

from reporting.periods import Period, PeriodKind, ReportingRules

D = datetime.date


def test_monthly_window_runs_from_the_15th_to_the_14th():
    august = Period.monthly(2024, 8)
    assert (august.window_start, august.window_end) == (D(2024, 7, 15), D(2024, 8, 14))
    assert august.contains(D(2024, 7, 15)) and august.contains(D(2024, 8, 14))
    assert not august.contains(D(2024, 7, 14)) and not august.contains(D(2024, 8, 15))


def test_january_window_starts_in_december():
    january = Period.monthly(2025, 1)
    assert january.window_start == D(2024, 12, 15)


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (D(2024, 8, 14), "2024-08"),
        (D(2024, 8, 15), "2024-09"),
        (D(2024, 12, 15), "2025-01"),
        (D(2025, 1, 1), "2025-01"),
    ],
)
def test_the_period_containing_a_day(day, key):
    assert Period.containing(PeriodKind.MONTHLY, day).key == key


def test_due_before_the_15th_means_the_14th_is_on_time():
    august = Period.monthly(2024, 8)
    assert august.last_on_time_day == D(2024, 8, 14)
    assert not august.is_late(D(2024, 8, 14))
    assert august.is_late(D(2024, 8, 15))


def test_annual_period_window_and_due_date():
    year = Period.annual(2025)
    assert (year.window_start, year.window_end) == (D(2024, 12, 15), D(2025, 12, 14))
    assert year.last_on_time_day == D(2025, 12, 14)
    assert year.is_late(D(2025, 12, 15))
    assert Period.containing(PeriodKind.ANNUAL, D(2025, 12, 15)).key == "2026"
    assert Period.containing(PeriodKind.ANNUAL, D(2025, 12, 14)).key == "2025"


def test_entry_locks_a_configured_number_of_days_after_the_due_date():
    august = Period.monthly(2024, 8, ReportingRules(lock_after_days=10))
    assert august.locks_on == D(2024, 8, 25)
    assert not august.is_locked(D(2024, 8, 24))
    assert august.is_locked(D(2024, 8, 25))
    immediately = Period.monthly(2024, 8, ReportingRules(lock_after_days=0))
    assert immediately.locks_on == D(2024, 8, 15)


def test_rules_are_configurable():
    rules = ReportingRules(window_start_day=1, due_before_day=21)
    august = Period.monthly(2024, 8, rules)
    assert (august.window_start, august.window_end) == (D(2024, 7, 1), D(2024, 7, 31))
    assert august.last_on_time_day == D(2024, 8, 20)


@pytest.mark.parametrize("text", ["2024-13", "abc", "2024-", ""])
def test_bad_period_text_gets_a_vietnamese_message(text):
    with pytest.raises(ValueError, match="không hợp lệ"):
        Period.parse(text)


def test_parse_and_labels():
    assert Period.parse("2024-08").label == "Tháng 08/2024"
    assert Period.parse("2025").label == "Năm 2025"
    assert Period.parse("2025-01").previous().key == "2024-12"
