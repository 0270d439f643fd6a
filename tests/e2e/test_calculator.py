"""In a real browser: finance staff compute a monthly support and see the trace."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import log_in_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_officer_computes_with_trace(page, live_server, world, tmp_path):
    call_command("load_parameters", stdout=io.StringIO())
    log_in_as(page, live_server, "taichinh_huyen")
    page.click("text=Máy tính quy định")
    page.select_option("#id_monthly-jurisdiction", "38")
    page.select_option("#id_monthly-role", "to_pho")
    page.fill("#id_monthly-month", "2024-08")
    page.fill("#id_monthly-village_type", "1")
    page.click("#calc-monthly button.primary")
    assert "1.521.000 đ" in page.inner_text("#ket-qua")
    assert "Mức lương cơ sở" in page.inner_text("table.trace")
    shot = Path(os.environ.get("CALCULATOR_SCREENSHOT", tmp_path / "calculator.png"))
    screenshot(page, shot, wanted="CALCULATOR_SCREENSHOT" in os.environ, full_page=True)


def test_duty_stipend_in_a_month_where_the_rate_starts(page, live_server, world, tmp_path):
    """Hải Dương's 50,000 đ a day starts on 21/12/2024: of three days from the 20th, two are
    paid, and the trace says why the first is not (issue 12 item 2). Also at 390 px."""
    call_command("load_parameters", stdout=io.StringIO())
    log_in_as(page, live_server, "taichinh_huyen")
    page.click("text=Máy tính quy định")
    page.click("a[href='#calc-duty']")
    page.select_option("#id_duty-jurisdiction", "30")
    page.fill("#id_duty-month", "12/2024")
    page.fill("#id_duty-day", "20, 21-22")
    page.click("#calc-duty button.primary")
    assert "100.000 đ" in page.inner_text("#ket-qua")
    assert "mức áp dụng từ 21/12/2024" in page.inner_text("table.trace")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot = Path(os.environ.get("DUTY_SCREENSHOT", tmp_path / "calculator-duty-390.png"))
    screenshot(page, shot, wanted="DUTY_SCREENSHOT" in os.environ, full_page=True)
