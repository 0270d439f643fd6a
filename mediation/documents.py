"""The mediation documents of a unit as HTML: the plan's yearly report and the 6-month or
yearly statistics, in the Decree 30/2020 layout (templates/pdf/mediation/). A commune's is laid
out at once by the view; above one commune by the worker (mediation.jobs), which fingerprints
the HTML so that a document of unchanged data is served again."""

from __future__ import annotations

from dataclasses import dataclass

from core.documents import Letterhead, Signature, place_name, render_html
from teams.models import AdministrativeUnit, Level

from . import selectors
from .models import DocumentJob

REPORT_TEMPLATE = "pdf/mediation/report.html"
STATISTICS_TEMPLATE = "pdf/mediation/statistics.html"


@dataclass(frozen=True)
class Made:
    template: str
    html: str
    filename: str  # without ".pdf"


def report_context(unit: AdministrativeUnit, year: int) -> dict:
    report = unit.mediation_reports.filter(year=year).first()
    contents = selectors.report_contents(unit=unit, year=year, report=report)
    return {
        "report": report,
        "contents": contents,
        "year": year,
        "unit": unit,
        "frozen": report.contents if report and report.contents else None,
        "children": selectors.children_rows(unit=unit, year=year)
        if unit.level != Level.COMMUNE
        else [],
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {unit.name.upper()}",
            place=place_name(unit.name),
            date=report.sent_on if report and report.sent_on else selectors.today(),
            title="BÁO CÁO",
            number="       /BC-UBND",
            subject=f"Kết quả thực hiện công tác hòa giải ở cơ sở năm {year}",
        ),
        "signatures": [Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")],
        "recipients": [contents["recipient"], "Lưu: VT"],
    }


def statistics_context(unit: AdministrativeUnit, stats: dict) -> dict:
    """The 6-month or yearly statistics as an official report, in the letterhead and signature
    style of the yearly report."""
    period = stats["period"]
    return {
        "stats": stats,
        "unit": unit,
        "period": period,
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {unit.name.upper()}",
            place=place_name(unit.name),
            date=selectors.today(),
            title="BÁO CÁO THỐNG KÊ",
            number="       /BC-UBND",
            subject=f"Kết quả hòa giải ở cơ sở — {period.label.lower()}",
        ),
        "signatures": [Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")],
        "recipients": [selectors.recipient(unit, selectors.today()), "Lưu: VT"],
    }


def make(*, unit: AdministrativeUnit, document: str, year: int, kind: str = "") -> Made:
    if document == DocumentJob.Document.REPORT:
        return Made(
            REPORT_TEMPLATE,
            render_html(REPORT_TEMPLATE, report_context(unit, year)),
            f"Bao cao hoa giai {unit.name} {year}",
        )
    period = selectors.stat_period(kind, year)
    stats = selectors.statistics(unit=unit, period=period)
    return Made(
        STATISTICS_TEMPLATE,
        render_html(STATISTICS_TEMPLATE, statistics_context(unit, stats)),
        f"Thong ke hoa giai {unit.name} {period.label}",
    )


def title(job: DocumentJob) -> str:
    if job.document == DocumentJob.Document.REPORT:
        return f"Báo cáo năm {job.year} về hòa giải ở cơ sở — {job.unit.name}"
    label = selectors.stat_period(job.kind, job.year).label
    return f"Thống kê hòa giải ở cơ sở {label.lower()} — {job.unit.name}"
