"""Insurance fixtures: Phú Thọ (25) has no insurance top-up in the shipped parameters, so the
tests enter one the way a provincial administrator would (none for VSI, a fixed HI top-up),
plus incident amounts; and the roster's members enrolled."""

from __future__ import annotations

import datetime

import pytest

from rules.models import Parameter

D = datetime.date


START = D(2024, 7, 1)


def _parameter(key, value, unit, *, jurisdiction="25", start=START):
    return Parameter(
        key=key,
        jurisdiction=jurisdiction,
        value=value,
        unit=unit,
        effective_from=start,
        citation=f"Tham số thử nghiệm {key}",
        origin=Parameter.Origin.ADMIN,
    )


@pytest.fixture
def insurance_params(db_params):
    Parameter.objects.bulk_create(
        [
            _parameter(key, value, unit, jurisdiction=jurisdiction)
            for jurisdiction in ("25", "94")
            for key, value, unit in (
                ("vsi.province.mode", "none", "choice"),
                ("hi.province.mode", "fixed", "choice"),
                ("hi.province.amount", "20000", "vnd"),
                ("incident.inpatient_meal_per_day", "70000", "vnd"),
                ("incident.death", "50000000", "vnd"),
                ("incident.funeral", "15000000", "vnd"),
            )
        ]
    )


@pytest.fixture
def enrolled(roster, insurance_params):
    """An (VSI 1,500,000, HI), Bình (VSI 2,000,000 from a poor household), Dũng (HI only)
    of Tiên Kiên, and Em of Xuân Lũng (VSI), all from 1 Jul 2024."""
    from insurance.models import HiEnrolment, VsiEnrolment

    m = roster.members
    start = D(2024, 7, 1)
    Person = m["an"].person.__class__
    Person.objects.filter(pk=m["binh"].person_id).update(household_status="ngheo")
    VsiEnrolment.objects.bulk_create(
        [
            VsiEnrolment(person_id=m["an"].person_id, income=1_500_000, start_date=start),
            VsiEnrolment(person_id=m["binh"].person_id, income=2_000_000, start_date=start),
            VsiEnrolment(person_id=m["em"].person_id, income=1_500_000, start_date=start),
        ]
    )
    HiEnrolment.objects.bulk_create(
        [
            HiEnrolment(
                person_id=m["an"].person_id, card_number="GD4252522000001", start_date=start
            ),
            HiEnrolment(
                person_id=m["dung"].person_id, card_number="GD4252522000002", start_date=start
            ),
        ]
    )
    return roster


@pytest.fixture
def my_tu_member(enrolled):
    """Giang, a member of Mỹ Tú (new Cần Thơ, rules of 94) from 1 Jul 2025, enrolled in VSI
    (1,500,000) and HI."""
    from dataclasses import asdict

    from insurance.models import HiEnrolment, VsiEnrolment
    from teams.models import Membership, Person
    from tests.builders import membership_data, person_data

    person = Person.objects.create(
        **asdict(person_data(full_name="Thạch Thị Giang", sex="nu", province="094"))
    )
    membership = Membership.objects.create(
        person=person,
        team=enrolled.teams["mt1"],
        **asdict(membership_data(start_date=D(2025, 7, 1))),
    )
    VsiEnrolment.objects.create(person=person, income=1_500_000, start_date=D(2025, 7, 1))
    HiEnrolment.objects.create(
        person=person, card_number="GD4949400000001", start_date=D(2025, 7, 1)
    )
    return membership
