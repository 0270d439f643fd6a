"""Support for uninsured members (Decree 40/2024 Art. 5) in the provinces whose amounts are not
in the sources (Phú Thọ 25, Cần Thơ 92 Art. 4, Sóc Trăng 94): the rule names the parameter to
enter, and computes once an administrator entered it."""

import datetime

import pytest

from rules import engine
from rules.base import MissingParameters
from rules.parameters import ParameterTable, ParameterValue, Unit

D = datetime.date


@pytest.mark.parametrize(
    ("jurisdiction", "on"), [("25", D(2024, 9, 1)), ("92", D(2024, 9, 1)), ("94", D(2025, 9, 1))]
)
def test_missing_amounts_are_named(params, jurisdiction, on):
    with pytest.raises(MissingParameters, match=r"incident.inpatient_meal_per_day"):
        engine.uninsured_incident(jurisdiction=jurisdiction, on=on, params=params, inpatient_days=2)


@pytest.mark.parametrize("jurisdiction", ["25", "92", "94"])
def test_entered_amounts_are_used(params, jurisdiction):
    entered = [
        ParameterValue(key, jurisdiction, value, Unit.VND, D(2024, 7, 1), f"NQ thử {key}")
        for key, value in (
            ("incident.inpatient_meal_per_day", 80_000),
            ("incident.death", 40_000_000),
            ("incident.funeral", 10_000_000),
        )
    ]
    table = ParameterTable([*params, *entered])
    result = engine.uninsured_incident(
        jurisdiction=jurisdiction, on=D(2024, 10, 1), params=table, inpatient_days=3, died=True
    )
    assert result.amount == 3 * 80_000 + 40_000_000 + 10_000_000
    assert result.trace[-1].citation


def _table(params, jurisdiction, rows):
    entered = [
        ParameterValue(key, jurisdiction, value, unit, D(2024, 7, 1), f"NQ thử {key}")
        for key, unit, value in rows
    ]
    return ParameterTable([*params, *entered])


def test_the_unit_drives_the_arithmetic(params):
    """Issue 12.5: a coefficient is × the base salary (never "46,3 đ"), a percent is % of the
    base salary per day; the base salary is the one in force on the day of the incident."""
    from fractions import Fraction

    table = _table(
        params,
        "25",
        [
            ("incident.inpatient_meal_per_day", Unit.PERCENT, Fraction(3)),
            ("incident.death", Unit.COEFFICIENT, Fraction(36)),
            ("incident.funeral", Unit.COEFFICIENT, Fraction("46.3")),
        ],
    )
    result = engine.uninsured_incident(
        jurisdiction="25", on=D(2024, 10, 1), params=table, inpatient_days=3, died=True
    )
    assert result.amount == 3 * 70_200 + 36 * 2_340_000 + 108_342_000
    text = " ".join(f"{t.label} {t.formula} {t.value}" for t in result.trace)
    assert "46,3 đ" not in text and "108.342.000 đ" in text
    assert "3 % × 2.340.000" in text and "70.200 đ/ngày" in text
    assert [t.label for t in result.trace].count("Mức lương cơ sở") == 1


def test_base_salary_the_day_before_and_of_its_rise(params):
    rise = ParameterValue("base_salary", "", 2_530_000, Unit.VND, D(2026, 7, 1), "NĐ thử")
    table = _table(
        params,
        "25",
        [("incident.death", Unit.COEFFICIENT, 36), ("incident.funeral", Unit.VND, 10_000_000)],
    )
    table.add(rise)
    before = engine.uninsured_incident(
        jurisdiction="25", on=D(2026, 6, 30), params=table, died=True
    )
    assert before.amount == 36 * 2_340_000 + 10_000_000
    on = engine.uninsured_incident(jurisdiction="25", on=D(2026, 7, 1), params=table, died=True)
    assert on.amount == 36 * 2_530_000 + 10_000_000


@pytest.mark.parametrize(
    ("loss", "amount"), [(4, 0), (5, 5 * 2_340_000), (31, 5 * 2_340_000 + 26 * 1_170_000)]
)
def test_benefit_by_loss_of_working_capacity(params, loss, amount):
    """Law 30/2023 Art. 24(3): scaled to the loss; nothing under the threshold, the base at it,
    one step per further percent (figures entered by an administrator; none is shipped)."""
    from fractions import Fraction

    table = _table(
        params,
        "92",
        [
            ("incident.capacity.min_percent", Unit.COUNT, 5),
            ("incident.capacity.base", Unit.COEFFICIENT, Fraction(5)),
            ("incident.capacity.per_percent", Unit.COEFFICIENT, Fraction("0.5")),
        ],
    )
    result = engine.uninsured_incident(
        jurisdiction="92", on=D(2024, 10, 1), params=table, capacity_loss=loss
    )
    assert result.amount == amount


def test_a_loss_names_the_capacity_figures_while_missing(params):
    with pytest.raises(MissingParameters, match=r"incident.capacity.base"):
        engine.uninsured_incident(
            jurisdiction="94", on=D(2025, 9, 1), params=params, capacity_loss=20
        )


def test_an_amount_in_a_unit_that_is_not_money_is_refused(params):
    from rules.base import RuleError

    table = _table(
        params, "25", [("incident.death", Unit.COUNT, 36), ("incident.funeral", Unit.VND, 1)]
    )
    with pytest.raises(RuleError, match="không dùng được cho số tiền"):
        engine.uninsured_incident(jurisdiction="25", on=D(2024, 10, 1), params=table, died=True)
