"""The yearly report and the statistics of a unit, with their indicators, PDF and Excel (above
one commune the PDF is made in the background)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.documents import html_to_pdf, pdf_response
from core.exporters import xlsx_response
from core.views import Errors, submit
from teams.access import Perm, access_unit, can
from teams.models import Level

from .. import documents, forms, jobs, selectors, services
from ..exporters import ReportExporter, StatisticsExporter
from ..models import DocumentJob
from ._base import EDIT, _page, _year


def _report_year(year: int) -> int:
    if not 2014 <= year <= selectors.today().year + 1:
        raise Http404(_("Không có báo cáo của năm này."))
    return year


@require_http_methods(["GET", "POST"])
def report(request, pk: int, year: int):
    unit = access_unit(request.user, pk)
    year = _report_year(year)
    report = (
        services.report_get(unit=unit, year=year)
        if request.method == "POST"
        else (unit.mediation_reports.filter(year=year).first())
    )
    contents = selectors.report_contents(unit=unit, year=year, report=report)
    form = forms.ReportForm(
        request.POST or None,
        budget_rows=contents["budget"],
        initial={"summary": report.summary if report else ""},
    )
    if request.method == "POST":
        action = request.POST.get("action", "save")
        needed = {"save": EDIT, "send": EDIT}.get(action, Perm.RECEIVE_MEDIATION_REPORTS)
        if not can(request.user, unit, needed):
            raise PermissionDenied(_("Vai trò của bạn không được thực hiện thao tác này."))

        assert report is not None  # made above for a POST

        def save(d):
            if action in ("save", "send"):
                services.report_save(
                    report=report,
                    summary=d["summary"] or "",
                    spent=form.spent(),
                    actor=request.user,
                )
            if action != "save":
                services.report_transition(
                    report=report,
                    action=action,
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    seen_state=request.POST.get("seen_state") or None,
                )
            return report

        done = submit(
            request,
            form,
            save,
            redirect_to=reverse("mediation-report", args=[pk, year]),
            success=_("Đã lưu báo cáo."),
            errors=Errors.TOP_OF_FORM,
        )
        if done.response:
            return done.response
        form = done.form
    transitions = (
        services.REPORT_FLOW.available(report, actor=request.user, unit=unit) if report else []
    )
    return render(
        request,
        "mediation/report.html",
        _page(
            unit,
            year=year,
            report=report,
            contents=contents,
            form=form,
            can_edit=can(request.user, unit, EDIT)
            and not (report and services.REPORT_FLOW.is_locked(report.state)),
            transitions=[t for t in transitions if t.name != "send"],
            children=selectors.children_rows(unit=unit, year=year)
            if unit.level != Level.COMMUNE
            else [],
            actions=report.actions.select_related("actor") if report else [],
        ),
    )


def _pdf(request, unit, document: str, year: int, kind: str = ""):
    """Above one commune the document is made in the background (issue 16 §2: a province's
    report lays out a row per commune) and served again while its data are unchanged; a
    commune's is made here."""
    if unit.level != Level.COMMUNE:
        job = jobs.start(user=request.user, unit=unit, document=document, year=year, kind=kind)
        return redirect("mediation-document-job", pk=job.pk)
    made = documents.make(unit=unit, document=document, year=year, kind=kind)
    return pdf_response(html_to_pdf(made.html), made.filename)


@require_safe
def report_pdf(request, pk: int, year: int):
    unit = access_unit(request.user, pk)
    return _pdf(request, unit, DocumentJob.Document.REPORT, _report_year(year))


@require_safe
def report_xlsx(request, pk: int, year: int):
    unit = access_unit(request.user, pk)
    return xlsx_response(
        ReportExporter(documents.report_context(unit, _report_year(year))),
        f"Bao cao hoa giai {unit.name} {year}",
    )


@require_safe
def statistics(request, pk: int):
    unit = access_unit(request.user, pk)
    kind = request.GET.get("ky", "nam")
    try:
        period = selectors.stat_period(kind, _report_year(_year(request)))
    except KeyError:
        raise Http404(_("Không có kỳ thống kê này.")) from None
    if request.GET.get("xuat") == "pdf":
        return _pdf(request, unit, DocumentJob.Document.STATISTICS, period.year, kind)
    stats = selectors.statistics(unit=unit, period=period)
    if request.GET.get("xuat") == "xlsx":
        return xlsx_response(
            StatisticsExporter(unit, stats), f"Thong ke hoa giai {unit.name} {period.label}"
        )
    return render(
        request,
        "mediation/statistics.html",
        _page(
            unit,
            stats=stats,
            period=period,
            kind=kind,
            years=range(selectors.today().year, 2020, -1),
        ),
    )
