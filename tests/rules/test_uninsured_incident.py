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
