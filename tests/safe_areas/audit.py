"""The "An toàn về an ninh, trật tự" objects of one unit for the access audit
(tests/test_access_audit.py): a recognised area year (with an event), an agency, a model and
the commune's year, written directly (the audit is about access, not about the steps)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

D = datetime.date
YEAR = 2025


@dataclass
class SafeSide:
    area_year: object
    establishment: object
    model: object
    commune_year: object
    year: int = YEAR


def build(*, commune, area, user, marker: str) -> SafeSide:
    from safe_areas.models import (
        AreaEvent,
        AreaYear,
        AreaYearAction,
        CommuneYear,
        Establishment,
        EstablishmentYear,
        SelfManagementModel,
        YearState,
    )
    from safe_areas.selectors import deciding_unit_for

    area_year = AreaYear.objects.create(
        area=area, commune=commune, year=YEAR, state=YearState.RECOGNISED,
        resolution_number="01-NQ/CB", resolution_date=D(YEAR, 1, 5),
        registered_on=D(YEAR, 1, 10), households_registered=area.households,
        households_total=area.households, decision_number="9/QĐ-UBND",
        decision_date=D(YEAR, 11, 20), decision_signer=marker, created_by=user,
    )  # fmt: skip
    AreaYearAction.objects.create(
        area_year=area_year, actor=user, from_state="draft", to_state="registered",
        at=timezone.now(),
    )  # fmt: skip
    AreaEvent.objects.create(
        area_year=area_year, criterion="KDC-3e", occurred_on=D(YEAR, 3, 3),
        description=f"Vụ việc của {marker}", recorded_by=user,
    )  # fmt: skip
    establishment = Establishment.objects.create(
        commune=commune, name=f"Trường của {marker}", kind="school", address=""
    )
    EstablishmentYear.objects.create(
        establishment=establishment, year=YEAR, registered_on=D(YEAR, 1, 20)
    )
    model = SelfManagementModel.objects.create(
        area=area, commune=commune, name=f"Mô hình của {marker}", field="security",
        started_on=D(YEAR - 1, 6, 1), households_signed=10, created_by=user,
    )  # fmt: skip
    commune_year = CommuneYear.objects.create(
        commune=commune, year=YEAR, state=YearState.ASSESSED,
        party_resolution_number="1-NQ/ĐU", party_resolution_date=D(YEAR, 1, 5),
        plan_number="2/KH-UBND", plan_date=D(YEAR, 1, 6), registered_on=D(YEAR, 1, 7),
        disciplined_officers=0, criteria_met=True, deciding_unit=deciding_unit_for(commune),
        created_by=user,
    )  # fmt: skip
    return SafeSide(area_year, establishment, model, commune_year)
