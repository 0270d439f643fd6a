"""Dated parameters: lookup by day, clear errors, exact parsing. No database."""

import datetime
from fractions import Fraction

import pytest

from rules.base import MissingParameters
from rules.parameters import (
    ParameterTable,
    ParameterValue,
    Unit,
    fixture_table,
    format_value,
    parse_value,
    value_text,
)

D = datetime.date


def salary(value, start, end=None):
    return ParameterValue("base_salary", "", value, Unit.VND, start, "NĐ", effective_to=end)


def test_a_new_value_takes_over_from_its_first_day():
    table = ParameterTable([salary(1_800_000, D(2023, 7, 1)), salary(2_340_000, D(2024, 7, 1))])
    assert table.get("base_salary", jurisdiction="", on=D(2024, 6, 30)).value == 1_800_000
    assert table.get("base_salary", jurisdiction="", on=D(2024, 7, 1)).value == 2_340_000
    assert table.get("base_salary", jurisdiction="", on=D(2030, 1, 1)).value == 2_340_000


def test_before_the_first_value_is_an_error_naming_parameter_and_day():
    table = ParameterTable([salary(1_800_000, D(2023, 7, 1))])
    with pytest.raises(MissingParameters) as err:
        table.get("base_salary", jurisdiction="", on=D(2023, 6, 30))
    message = str(err.value)
    assert "Mức lương cơ sở" in message and "30/06/2023" in message and "toàn quốc" in message


def test_an_ended_value_is_not_extended_silently():
    table = ParameterTable([salary(1_800_000, D(2023, 7, 1), end=D(2024, 6, 30))])
    assert table.find("base_salary", jurisdiction="", on=D(2024, 6, 30)) is not None
    assert table.find("base_salary", jurisdiction="", on=D(2024, 7, 1)) is None


def test_jurisdictions_do_not_leak_into_each_other():
    table = ParameterTable(
        [ParameterValue("support.to_truong", "25", 1_100_000, Unit.VND, D(2024, 7, 1), "NQ")]
    )
    with pytest.raises(MissingParameters, match="Tỉnh Kon Tum"):
        table.get("support.to_truong", jurisdiction="62", on=D(2024, 8, 1))


def test_get_all_lists_every_missing_parameter_at_once():
    with pytest.raises(MissingParameters) as err:
        ParameterTable().get_all(
            ["support.to_truong", "support.to_pho"], jurisdiction="62", on=D(2024, 8, 1)
        )
    assert [m[0] for m in err.value.missing] == ["support.to_truong", "support.to_pho"]


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("1.100.000", Unit.VND, 1_100_000),
        ("0,8", Unit.COEFFICIENT, Fraction(4, 5)),
        ("22", Unit.PERCENT, Fraction(22)),
        ("500/3", Unit.HOUSEHOLDS, Fraction(500, 3)),
        ("0:3; 350:4; 500:5", Unit.BANDS, ((0, 3), (350, 4), (500, 5))),
    ],
)
def test_parse_round_trips_through_the_stored_text(text, unit, value):
    assert parse_value(text, unit) == value
    assert parse_value(value_text(value, unit), unit) == value


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("abc", Unit.VND),
        ("-5", Unit.VND),
        ("1/0", Unit.RATIO),
        ("350:4", Unit.BANDS),
        ("0:3; 500:5; 350:4", Unit.BANDS),
        ("", Unit.CHOICE),
    ],
)
def test_bad_values_get_a_vietnamese_message(text, unit):
    with pytest.raises(ValueError, match="không hợp lệ: cần"):
        parse_value(text, unit)


def test_display_forms():
    assert format_value(1_100_000, Unit.VND) == "1.100.000 đ"
    assert format_value(Fraction("0.8"), Unit.COEFFICIENT) == "0,8"
    assert format_value(Fraction("4.5"), Unit.PERCENT) == "4,5 %"
    assert format_value(Fraction(500, 3), Unit.HOUSEHOLDS) == "500/3"


def test_every_shipped_fixture_parses_and_cites_a_source():
    values = list(fixture_table())
    assert values
    for value in values:
        assert value.citation.strip(), value.key
        assert value.effective_from >= D(2023, 1, 1), value.key
