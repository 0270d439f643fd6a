"""In a real browser: finance staff compute a monthly support and see the trace."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.builders import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_officer_computes_with_trace(page, live_server, world, tmp_path):
    call_command("load_parameters", stdout=io.StringIO())
    log_in(page, live_server, "taichinh_huyen", PASSWORD)
    page.click("text=Máy tính quy định")
    page.select_option("#id_monthly-jurisdiction", "38")
    page.select_option("#id_monthly-role", "to_pho")
    page.fill("#id_monthly-month", "2024-08")
    page.fill("#id_monthly-village_type", "1")
    page.click("#calc-monthly button.primary")
    assert "1.521.000 đ" in page.inner_text("#ket-qua")
    assert "Mức lương cơ sở" in page.inner_text("table.trace")
    shot = Path(os.environ.get("CALCULATOR_SCREENSHOT", tmp_path / "calculator.png"))
    page.screenshot(path=shot, full_page=True)
