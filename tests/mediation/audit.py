"""One unit's mediation objects for the access audit (tests/test_access_audit.py): a team with
three mediators, a closed case, a payment list, an accident with a document, a yearly report
and the plan it reports on."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

D = datetime.date


def build(*, commune, area, officer, marker: str) -> SimpleNamespace:
    from mediation import services
    from mediation.models import DocumentJob, MediationPlan, Outcome
    from tests.mediation.helpers import record_case, standard_team

    team, mediators = standard_team(commune, area, officer, name=f"Tổ hòa giải {area.name}")
    case = record_case(
        team,
        officer,
        mediators,
        received=D(2026, 3, 2),
        outcome=Outcome.SUCCESS,
        closed=D(2026, 3, 6),
        parties=f"{marker} – bên kia",
    )
    payment_list = services.payment_list_compute(
        commune=commune, quarter=D(2026, 1, 1), actor=officer
    )
    accident = services.accident_save(
        data=services.AccidentData(
            mediator=mediators[0],
            occurred_on=D(2026, 3, 4),
            kind="injury",
            description="Bị thương khi hòa giải",
        ),
        actor=officer,
    )
    document = services.accident_document_add(
        accident=accident,
        title="Giấy ra viện",
        file=SimpleUploadedFile("giay.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        actor=officer,
    )
    MediationPlan.objects.create(
        unit=commune,
        number="127/KH-UBND",
        signed_on=D(2021, 11, 16),
        title="Hòa giải",
        issuer="UBND huyện",
        first_year=2021,
        last_year=2030,
        consolidated_target=95,
        success_target=85,
        secretary_target=100,
    )
    report = services.report_get(unit=commune, year=2026)
    # A document made in the background (above one commune in practice), finished.
    document_job = DocumentJob.objects.create(
        requested_by=officer, unit=commune, document="report", year=2026, status="done",
        content=b"%PDF-1.4\n%%EOF\n", filename="bao-cao.pdf",
    )  # fmt: skip
    return SimpleNamespace(
        document_job=document_job,
        team=team,
        mediator=mediators[0],
        case=case,
        payment_list=payment_list,
        accident=accident,
        document=document,
        report=report,
    )
