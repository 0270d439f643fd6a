"""Issue 12 item 7 for reports: the monthly and annual report (page, PDF, spreadsheet, and the
district's consolidation) marks (*) each amount computed with a value that is not from the
resolution's text, and lists those values, like the payment lists do."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from allowances import services as allowance_services
from allowances.models import AllowanceRun
from core.documents import render_html
from reporting import contents as report_contents
from reporting import documents, selectors, services
from reporting.contents import add
from reporting.models import Report
from reporting.periods import Period
from rules.models import Parameter
from rules.snapshots import marked, marked_values
from tests.builders import sign_in
from tests.pdf_tools import pdf_text

D = datetime.date
AUG = Period.monthly(2024, 8)  # window 15/07/2024 – 14/08/2024


@pytest.fixture
def approved_run(roster):
    """Tiên Kiên's August 2024 run, approved on 10/08/2024 (inside the report's window), on
    Phú Thọ's figures, which come from the province's news summary (source "press")."""
    run = allowance_services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=D(2024, 8, 1), actor=roster.users["canbo_xa1"]
    )
    allowance_services.allowance_run_transition(
        run=run, action="submit", actor=roster.users["canbo_xa1"]
    )
    allowance_services.allowance_run_transition(
        run=run, action="approve", actor=roster.users["taichinh_huyen"]
    )
    approved = timezone.make_aware(datetime.datetime(2024, 8, 10, 9, 0))
    AllowanceRun.objects.filter(pk=run.pk).update(approved_at=approved)
    return run


def tien_kien(roster):
    return report_contents.commune_contents(commune=roster.units["tien_kien"], period=AUG)


def test_amounts_from_press_figures_are_marked_with_their_values(roster, approved_run):
    contents = tien_kien(roster)
    assert contents["allowance_monthly"] == 4_250_000
    assert marked(contents, "allowance_monthly") and marked(contents, "allowance_total")
    assert not marked(contents, "allowance_duty")  # no duty line: nothing to mark
    assert not marked(contents, "insurance_state_support")
    values = marked_values(contents)
    assert any("Tổ viên" in v and "1.000.000 đ" in v and "báo chí" in v for v in values), values


def test_amounts_from_the_resolution_text_are_not_marked(roster, approved_run):
    Parameter.objects.filter(jurisdiction="25").update(source="resolution")
    # The run's snapshots recorded the old source: compute it again.
    AllowanceRun.objects.all().delete()
    run = allowance_services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=D(2024, 8, 1), actor=roster.users["canbo_xa1"]
    )
    AllowanceRun.objects.filter(pk=run.pk).update(
        state="approved", approved_at=timezone.make_aware(datetime.datetime(2024, 8, 10))
    )
    contents = tien_kien(roster)
    assert contents["allowance_monthly"] == 4_250_000
    assert not marked(contents, "allowance_monthly") and marked_values(contents) == []


def test_a_consolidation_keeps_the_marks_of_its_communes(roster, approved_run):
    empty = report_contents.commune_contents(commune=roster.units["xuan_lung"], period=AUG)
    assert not marked(empty, "allowance_total")
    total = add(empty, tien_kien(roster))
    assert marked(total, "allowance_total") and marked_values(total) == marked_values(
        tien_kien(roster)
    )


def test_the_report_pdf_page_and_spreadsheet_mark_the_lines(client, roster, approved_run):
    report = selectors.report_or_unsaved(roster.units["tien_kien"], AUG)
    text = pdf_text(documents.report_pdf(report=report, period=AUG)[0])
    assert "4.250.000 đồng(*)" in text.replace(" (*)", "(*)")
    assert "(*) Số tiền tính theo giá trị chưa xác minh từ văn bản gốc" in text
    assert "Nhà nước hỗ trợ 0 đồng(*)" not in text

    sign_in(client, roster.users["canbo_xa1"])
    args = (roster.units["tien_kien"].pk, "thang", "2024-08")
    page = client.get(reverse("report-detail", args=args)).content.decode()
    assert page.count('class="unverified-mark"') == 2  # monthly support and the total
    assert "cần đối chiếu trước khi sử dụng số liệu" in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("report-xlsx", args=args)).content))
    labels = [row[0] for row in sheet.active.iter_rows(values_only=True) if row and row[0]]
    assert "Hỗ trợ hằng tháng (*)" in labels and "Tổng số đã chi (*)" in labels
    assert any(str(label).startswith("(*) Tính theo giá trị chưa xác minh") for label in labels)


def test_the_consolidated_report_marks_the_commune_its_subtotal_and_the_total(roster, approved_run):
    for commune, user in (("tien_kien", "canbo_xa1"), ("xuan_lung", "canbo_xa2")):
        report = services.report_get(unit=roster.units[commune], kind=AUG.kind, period=AUG)
        services.report_transition(
            report=report, action="submit", actor=roster.users[user], today=D(2024, 8, 10)
        )
    context = documents.consolidated_context(
        selectors.consolidation(unit=roster.units["lam_thao"], period=AUG)
    )
    column = [c.key for c in context["columns"]].index("allowance_total")
    members = [c.key for c in context["columns"]].index("members")
    cells = {item["row"].unit.name: item["cells"] for item in context["groups"][0]["rows"]}
    assert cells["Xã Tiên Kiên"][column] == (4_250_000, True)
    assert cells["Xã Xuân Lũng"][column] == (0, False)
    assert cells["Xã Tiên Kiên"][members][1] is False  # counts are never marked
    assert context["total_cells"][column] == (4_250_000, True)
    assert any("Tổ viên" in v for v in context["unverified_values"])
    html = render_html(
        "pdf/reporting/consolidated_report.html",
        {
            **context,
            "period": AUG,
            "unit": roster.units["lam_thao"],
            "report": Report(),
            "letterhead": None,
        },
    )
    assert html.count('class="unverified-mark"') >= 3 and "sử dụng số liệu" in html
