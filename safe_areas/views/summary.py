"""Consolidation above the commune, and the documents: the summary (PDF, Excel) and the
commune's yearly report."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.documents import pdf_response, render_pdf
from core.exporters import xlsx_response
from teams.access import access_commune, access_unit
from teams.selectors import unit_page

from .. import documents, selectors
from ..exporters import SummaryExporter
from ._base import _year


@require_safe
def summary(request, pk: int):
    """A commune's, district's or province's year: areas registered, recognised, failed by
    criterion, models by field, year over year; with the PDF and XLSX of the same figures."""
    unit = access_unit(request.user, pk)
    year = _year(request)
    context = documents.summary_context(actor=request.user, unit=unit, year=year)
    return render(
        request,
        "safe_areas/summary.html",
        {
            **unit_page(unit=unit),
            **context,
            **documents.charts(context["summary"]),
            "years": selectors.years_offered(),
        },
    )


@require_safe
def summary_pdf(request, pk: int):
    unit = access_unit(request.user, pk)
    year = _year(request)
    content = render_pdf(
        "pdf/safe_areas/summary.html",
        documents.summary_context(actor=request.user, unit=unit, year=year),
    )
    return pdf_response(content, f"Tong hop an toan ANTT {unit.name} {year}")


@require_safe
def summary_xlsx(request, pk: int):
    unit = access_unit(request.user, pk)
    year = _year(request)
    data = selectors.summary(actor=request.user, unit=unit, year=year)
    return xlsx_response(SummaryExporter(data), f"Tong hop an toan ANTT {unit.name} {year}")


@require_safe
def commune_report(request, pk: int):
    """The commune's yearly report on the 2025–2030 plan (seed 003)."""
    commune = access_commune(request.user, pk)
    year = _year(request)
    content = render_pdf(
        "pdf/safe_areas/commune_report.html",
        documents.commune_report_context(commune=commune, year=year),
    )
    return pdf_response(content, f"Bao cao an toan ANTT {commune.name} {year}")
