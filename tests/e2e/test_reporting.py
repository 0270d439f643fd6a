"""In a real browser: the communes of Lâm Thao send their August 2024 reports (one of them
late), and congan_tinh opens the Phú Thọ dashboard, then downloads the consolidated monthly
report as PDF and XLSX. The totals in both are the sums of the commune reports."""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reporting import services
from reporting.periods import Period
from tests.e2e.conftest import log_in_as, screenshot
from tests.pdf_tools import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))
AUG = Period.monthly(2024, 8)


def send(roster, commune, user, day):
    report = services.report_get(unit=roster.units[commune], kind=AUG.kind, period=AUG)
    services.report_transition(report=report, action="submit", actor=roster.users[user], today=day)
    return report


def test_provincial_police_download_the_consolidated_report(page, live_server, roster):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tien_kien = send(roster, "tien_kien", "canbo_xa1", datetime.date(2024, 8, 12))
    xuan_lung = send(roster, "xuan_lung", "canbo_xa2", datetime.date(2024, 8, 16))  # late
    communes = [tien_kien, xuan_lung]
    assert [r.late for r in communes] == [False, True]

    log_in_as(page, live_server, "congan_tinh")
    page.click("nav >> text=Báo cáo")
    province = roster.units["pt"]
    page.goto(f"{live_server.url}/don-vi/{province.pk}/tong-hop-bao-cao/?ky={AUG.key}")
    summary = page.inner_text("main")
    assert "2/" in summary and "1 gửi muộn" in summary
    assert page.locator("svg").count() >= 2  # the charts are served with the page
    screenshot(page, SCREENSHOTS / "reporting-dashboard.png", full_page=True)

    page.click("text=Báo cáo tổng hợp")
    detail = page.inner_text("main")
    assert "Báo cáo tháng 08/2024" in detail and "Đã gửi · muộn" in detail
    screenshot(page, SCREENSHOTS / "reporting-consolidated.png", full_page=True)

    # Above one commune the PDF is made in the background: a progress page, then the download.
    page.click("a:has-text('Báo cáo (PDF)')")
    page.wait_for_selector(".document-job[data-status=done]", timeout=60_000)
    screenshot(page, SCREENSHOTS / "reporting-consolidated-job.png", full_page=True)
    with page.expect_download() as pdf_download:
        page.click("a:has-text('Tải về')")
    pdf = Path(pdf_download.value.path()).read_bytes()
    text = pdf_text(pdf)
    expected_members = sum(r.contents["members"] for r in communes)
    assert expected_members == 5
    assert re.search(rf"Tổng số thành viên\s+{expected_members}\n", text)
    assert "Cộng Huyện Lâm Thao" in text
    assert "gửi muộn" in text

    page.go_back()  # from the document's page to the report
    with page.expect_download() as xlsx_download:
        page.click("a:has-text('Báo cáo (Excel)')")
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header = next(r for r in rows if r[:2] == ("STT", "Đơn vị"))
    column = header.index("Tổng số thành viên")
    by_name = {r[1]: r for r in rows}
    assert by_name["Xã Tiên Kiên"][column] == 4 and by_name["Xã Xuân Lũng"][column] == 1
    assert by_name["Xã Xuân Lũng"][2] == "Gửi muộn"
    assert by_name["Cộng Huyện Lâm Thao"][column] == 5
    assert by_name["TỔNG CỘNG"][column] == 5
