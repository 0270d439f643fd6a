"""Month, Quarter and DateWindow: the calendar arithmetic written once (core/periods.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.periods import DateWindow, Month, PeriodParseError, Quarter, check_period_of_unit

D = datetime.date


def test_a_month_from_any_of_its_days_and_back_to_its_first_day():
    assert Month.of(D(2024, 8, 17)) == Month(2024, 8)
    assert Month(2024, 8).first_day == D(2024, 8, 1)
    assert Month(2024, 8).last_day == D(2024, 8, 31)
    assert Month(2024, 8).days == 31
    assert Month(2024, 8).label == str(Month(2024, 8)) == "08/2024"


def test_december_runs_into_january_and_back():
    assert Month(2024, 12).next() == Month(2025, 1)
    assert Month(2025, 1).previous() == Month(2024, 12)
    assert Month(2024, 12).last_day == D(2024, 12, 31)


@pytest.mark.parametrize(
    ("year", "days"), [(2024, 29), (2025, 28), (2000, 29), (1900, 28), (2028, 29)]
)
def test_february_has_29_days_in_leap_years_only(year, days):
    february = Month(year, 2)
    assert february.days == days
    assert february.last_day == D(year, 2, days)
    assert february.next().first_day == february.last_day + datetime.timedelta(days=1)


def test_months_order_like_the_calendar():
    assert Month(2024, 12) < Month(2025, 1) < Month(2025, 2)
    assert max(Month(2024, 9), Month(2024, 10)) == Month(2024, 10)


@pytest.mark.parametrize(
    ("text", "month"),
    [("08/2024", Month(2024, 8)), ("8/2024", Month(2024, 8)), ("2024-08", Month(2024, 8)),
     (" 12/2025 ", Month(2025, 12)), ("2025-1", Month(2025, 1))],
)  # fmt: skip
def test_parse_accepts_what_officers_type(text, month):
    assert Month.parse(text) == month


@pytest.mark.parametrize(
    "text", ["13/2024", "00/2024", "2024-13", "tháng 8", "", "08-2024", "8/24"]
)
def test_parse_refuses_anything_else_with_a_vietnamese_message(text):
    with pytest.raises(PeriodParseError, match="Nhập tháng theo dạng tháng/năm, ví dụ 08/2024"):
        Month.parse(text)


def test_a_month_that_does_not_exist_cannot_be_made():
    with pytest.raises(ValueError):
        Month(2024, 13)
    with pytest.raises(ValueError):
        Quarter(2024, 5)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(D(2024, 1, 1), Quarter(2024, 1)), (D(2024, 3, 31), Quarter(2024, 1)),
     (D(2024, 4, 1), Quarter(2024, 2)), (D(2024, 9, 30), Quarter(2024, 3)),
     (D(2024, 10, 1), Quarter(2024, 4)), (D(2024, 12, 31), Quarter(2024, 4))],
)  # fmt: skip
def test_the_quarter_of_a_day_at_its_boundaries(day, quarter):
    assert Quarter.of(day) == quarter
    assert Month.of(day).quarter == quarter


def test_a_quarter_its_months_first_and_last_day_and_label():
    q3 = Quarter(2024, 3)
    assert q3.months == (Month(2024, 7), Month(2024, 8), Month(2024, 9))
    assert (q3.first_day, q3.last_day) == (D(2024, 7, 1), D(2024, 9, 30))
    assert q3.days == 92
    assert q3.label == str(q3) == "Quý 3/2024"
    assert q3.in_sentence == "quý 3/2024"
    assert Quarter(2024, 1).days == 91  # leap February
    assert Quarter(2025, 1).days == 90


def test_the_quarter_after_the_fourth_is_next_years_first():
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2024, 4).last_day == D(2024, 12, 31)


def test_a_date_window_counts_both_ends():
    window = DateWindow(D(2024, 7, 15), D(2024, 8, 14))
    assert window.days == 31
    assert D(2024, 7, 15) in window and window.contains(D(2024, 8, 14))
    assert D(2024, 7, 14) not in window and not window.contains(D(2024, 8, 15))
    assert DateWindow(D(2024, 2, 29), D(2024, 2, 29)).days == 1
    with pytest.raises(ValueError):
        DateWindow(D(2024, 8, 2), D(2024, 8, 1))


def test_windows_overlap_and_intersect():
    august = Month(2024, 8).window
    joined_mid_month = DateWindow.open_ended(D(2024, 8, 20), None)
    assert august.overlaps(joined_mid_month) and joined_mid_month.overlaps(august)
    assert august.intersection(joined_mid_month) == DateWindow(D(2024, 8, 20), D(2024, 8, 31))
    left_before = DateWindow(D(2024, 1, 1), D(2024, 7, 31))
    assert not august.overlaps(left_before)
    assert august.intersection(left_before) is None
    touching = DateWindow(D(2024, 7, 1), D(2024, 8, 1))
    assert august.intersection(touching) == DateWindow(D(2024, 8, 1), D(2024, 8, 1))


MESSAGES = {
    "future": "Tháng %(month)s chưa đến.",
    "ended": "%(unit)s kết thúc sau %(end)s: không có tháng %(month)s.",
    "not_started": "%(unit)s bắt đầu từ %(start)s: không có tháng %(month)s.",
}


TODAY = D(2025, 8, 10)


def check(period, *, valid_from=None, valid_to=None, today=TODAY):
    check_period_of_unit(
        period,
        unit_name="Xã Tiên Kiên",
        valid_from=valid_from,
        valid_to=valid_to,
        today=today,
        **MESSAGES,
    )


def test_the_shared_period_check_allows_the_current_month_and_the_units_lifetime():
    check(Month(2025, 8))
    check(Month(2025, 6), valid_to=D(2025, 6, 30))
    check(Month(2025, 7), valid_from=D(2025, 7, 31))
    check(Quarter(2025, 3), valid_from=D(2025, 9, 30))


def test_the_shared_period_check_refuses_with_the_callers_words():
    with pytest.raises(ValidationError, match="Tháng 09/2025 chưa đến"):
        check(Month(2025, 9))
    with pytest.raises(ValidationError, match="kết thúc sau 30/06/2025: không có tháng 07/2025"):
        check(Month(2025, 7), valid_to=D(2025, 6, 30))
    with pytest.raises(ValidationError, match="bắt đầu từ 01/07/2025: không có tháng 06/2025"):
        check(Month(2025, 6), valid_from=D(2025, 7, 1))
    with pytest.raises(ValidationError, match="Chưa đến quý 4/2025"):
        check_period_of_unit(
            Quarter(2025, 4),
            unit_name="Xã Mỹ Tú",
            valid_from=None,
            valid_to=None,
            today=D(2025, 9, 30),
            future="Chưa đến %(quarter)s.",
            ended="",
            not_started="",
        )
