"""In a real browser: canbo_xa1 computes and sends August 2024, taichinh_huyen approves it from
the queue, and the payment list opens as a PDF."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from allowances.models import AllowanceRun
from tests.e2e.conftest import log_in_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))


def test_compute_send_approve_and_print(page, live_server, roster):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in_as(page, live_server, "canbo_xa1", f"/don-vi/{roster.units['tien_kien'].pk}/chi-tra/")
    page.select_option("#id_month", "2024-08-01")
    page.click("button:has-text('Tính')")
    assert "4.250.000 đ" in page.inner_text("main")
    page.click("summary:has-text('Hỗ trợ hằng tháng') >> nth=0")
    assert "NQ 03/2024/NQ-HĐND tỉnh Phú Thọ" in page.inner_text("details[open]")
    page.click("button:has-text('Gửi duyệt')")
    assert "Chờ duyệt" in page.inner_text("h1")
    screenshot(page, SCREENSHOTS / "allowance-submitted.png", full_page=True)

    log_in_as(page, live_server, "taichinh_huyen")
    page.click("text=Chi trả chờ duyệt")
    page.click("text=Xem và duyệt")
    page.click("button:has-text('Phê duyệt')")
    assert "Đã duyệt" in page.inner_text("h1")
    screenshot(page, SCREENSHOTS / "allowance-approved.png", full_page=True)
    assert AllowanceRun.objects.get().state == "approved"

    with page.expect_response(lambda r: r.url.endswith("danh-sach.pdf")) as response:
        try:
            page.goto(page.url + "danh-sach.pdf")
        except PlaywrightError as error:
            # Chromium shows the PDF; its headless shell (conftest.CHROMIUM), which has no PDF
            # viewer, downloads it: either way the response is the PDF.
            if "Download is starting" not in error.message:
                raise
    assert response.value.headers["content-type"] == "application/pdf"
