"""The CCCD number's structure against the date of birth and sex. No database."""

import datetime

import pytest

from rules import cccd

D = datetime.date


def test_province_codes_come_from_the_official_pre_2025_list():
    codes = cccd.province_codes()
    assert len(codes) == 63
    assert codes["025"] == "Tỉnh Phú Thọ"
    assert codes["092"] == "Thành phố Cần Thơ"
    assert codes["094"] == "Tỉnh Sóc Trăng"
    assert "003" not in codes  # a gap in the official numbering


def test_the_province_names_are_the_official_data_packages():
    from vietnam_provinces import legacy

    from rules.names import PROVINCES

    assert list(PROVINCES.items()) == [
        (int(code), legacy.Province.from_code(code).name) for code in legacy.ProvinceCode
    ]


def test_parse_reads_province_sex_and_year():
    facts = cccd.parse("025 185 001 234")
    assert facts.number == "025185001234"
    assert (facts.province_name, facts.sex, facts.birth_year) == ("Tỉnh Phú Thọ", "nu", 1985)
    assert cccd.parse("094203000001").birth_year == 2003
    assert cccd.parse("094203000001").sex == "nam"


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("025085001234", D(1985, 3, 12), "nam"),
        ("025185001234", D(1985, 3, 12), "nu"),
        ("092200000017", D(2000, 1, 1), "nam"),
        ("093306123456", D(2006, 12, 31), "nu"),
        ("001099999999", D(1999, 6, 1), "nam"),
    ],
)
def test_matching_numbers_have_no_problems(number, birth, sex):
    assert cccd.problems(number, birth_date=birth, sex=sex) == []


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "Chưa nhập"),
        ("02508500123", "đúng 12 chữ số (đang có 11). Có thể Excel đã bỏ mất số 0"),
        ("0250850012345", "đang có 13"),
        ("02508500123A", "chỉ được gồm chữ số"),
        ("０２５０８５００１２３４", "chỉ được gồm chữ số"),  # full-width digits
        ("003085001234", "«003» không phải mã tỉnh"),
        ("099085001234", "«099» không phải mã tỉnh"),
        ("925085001234", "«925» không phải mã tỉnh"),
    ],
)
def test_malformed_numbers_say_what_is_wrong(number, fragment):
    [message] = cccd.problems(number)
    assert fragment in message


def test_wrong_century_digit_names_the_right_one():
    # Male born 1985 must have 0; 2 means born 2000–2099.
    [message] = cccd.problems("025285001234", birth_date=D(1985, 3, 12), sex="nam")
    assert "Chữ số thứ 4" in message and "«2»" in message
    assert "2000–2099" in message and "phải là 0" in message


def test_century_digit_of_a_woman_born_in_the_2000s_is_3():
    [message] = cccd.problems("025103001234", birth_date=D(2003, 5, 1), sex="nu")
    assert "phải là 3" in message


def test_sex_digit_must_agree_with_the_chosen_sex():
    [message] = cccd.problems("025085001234", birth_date=D(1985, 3, 12), sex="nu")
    assert "giới tính nam" in message and "đã chọn là nữ" in message


def test_year_digits_must_agree_with_the_birth_year():
    [message] = cccd.problems("025086001234", birth_date=D(1985, 3, 12), sex="nam")
    assert "«86»" in message and "«85»" in message


def test_everything_wrong_is_reported_at_once():
    found = cccd.problems("025387001234", birth_date=D(1985, 3, 12), sex="nam")
    assert len(found) == 3  # sex, century, year


def test_make_number_builds_a_valid_number():
    number = cccd.make_number(province_code="94", sex="nu", birth_year=1972, serial=42)
    assert number == "094172000042"
    assert cccd.problems(number, birth_date=D(1972, 8, 9), sex="nu") == []
