"""A commune of the two-tier tree (Mỹ Tú, new Cần Thơ) with its leader, and helpers that take a
residential area's year through its steps."""

from __future__ import annotations

import datetime

import pytest

from safe_areas import services
from teams.models import Role
from tests.builders import make_user

D = datetime.date


@pytest.fixture
def leader(world):
    return make_user("lanhdao_ct", (Role.COMMUNE_LEADER, world.units["my_tu"]))


def register(world, area=None, year=2025, households=None, **kw):
    area = area or world.areas["my_tu_1"]
    data = dict(
        resolution_number="03-NQ/CB",
        resolution_date=D(year, 1, 8),
        registered_on=D(year, 1, 15),
        households_registered=area.households if households is None else households,
    )
    data.update(kw)
    return services.area_year_register(
        area=area, year=year, data=services.RegistrationData(**data), actor=world.users["canbo_ct"]
    )


def all_met(area_year):
    from rules.safe_areas import Kind
    from safe_areas import selectors

    return {
        c.code: (True, "Biên bản họp khu dân cư")
        for c in selectors.area_criteria(area_year.commune, area_year.year)
        if c.kind != Kind.REGISTRATION
    }


def assess_and_review(world, area_year):
    officer = world.users["canbo_ct"]
    services.area_assess(area_year=area_year, answers=all_met(area_year), actor=officer)
    services.area_year_transition(area_year=area_year, action="review", actor=officer)
    return area_year


def decision(**kw):
    values = dict(number="45/QĐ-UBND", date=datetime.date.today(), signer="Nguyễn Văn Bình")
    values.update(kw)
    return services.DecisionData(**values)
