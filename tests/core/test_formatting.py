import datetime

import pytest

from core.formatting import amount_in_words, document_date_line, format_date, format_vnd


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(0, "0 đ"), (1_100_000, "1.100.000 đ"), (999, "999 đ"), (-52_650, "-52.650 đ")],
)
def test_vnd(amount, shown):
    assert format_vnd(amount) == shown


def test_amount_in_words():
    assert amount_in_words(1_100_000) == "Một triệu một trăm nghìn đồng"
    assert amount_in_words(2_340_000) == "Hai triệu ba trăm bốn mươi nghìn đồng"
    assert amount_in_words(0) == "Không đồng"


def test_document_date_line_pads_small_days_and_january_february():
    # Decree 30/2020/NĐ-CP: a zero before days below 10 and before months 1 and 2.
    assert document_date_line("Phú Thọ", datetime.date(2026, 11, 15)) == (
        "Phú Thọ, ngày 15 tháng 11 năm 2026"
    )
    assert document_date_line("Cần Thơ", datetime.date(2026, 2, 5)) == (
        "Cần Thơ, ngày 05 tháng 02 năm 2026"
    )
    assert document_date_line("Cần Thơ", datetime.date(2026, 3, 5)) == (
        "Cần Thơ, ngày 05 tháng 3 năm 2026"
    )


def test_format_date():
    assert format_date(datetime.date(2025, 7, 1)) == "01/07/2025"
    assert format_date(None) == ""


def test_one_date_formatter_for_rules_code_and_templates():
    from django.template import engines

    from rules.dates import format_date as rules_format_date

    assert format_date is rules_format_date
    assert format_date(datetime.date(2024, 7, 5)) == "05/07/2024"
    assert format_date(None) == ""
    template = engines["django"].from_string(
        "{{ day|ngay }}|{{ at|ngay }}|{{ typed|ngay }}|{{ m|thang }}"
    )
    # 23:30 UTC on 31/12/2024 is already 01/01/2025 in Vietnam (UTC+7): dates are local.
    at = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    shown = template.render(
        {"day": datetime.date(2024, 7, 5), "at": at, "typed": "5/7", "m": datetime.date(2024, 8, 1)}
    )
    assert shown == "05/07/2024|01/01/2025||08/2024"
