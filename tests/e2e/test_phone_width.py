"""In a real browser at 390 px: the list pages a newcomer's walk through the demo found wider
than the phone (the commune's payment runs, the approval queues, the district report's table
of its communes). Their tables scroll inside their card; the page itself does not."""

import datetime

import pytest

from allowances import services as allowances
from insurance import services as insurance
from tests.e2e.conftest import log_in_as
from tests.insurance.conftest import enrolled, insurance_params  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUG_2024 = datetime.date(2024, 8, 1)
PHONE = {"width": 390, "height": 844}


def _fits(page, live_server, username: str, url: str, opens: str = "") -> None:
    """The page, opened by `username`, is no wider than the phone; with `opens`, the first
    row's first cell (on screen, left of the scrolling box) links to that page, since the
    button at the row's end is out of sight."""
    log_in_as(page, live_server, username, url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide"
    assert page.locator("main .table-scroll table").count(), f"{url}: the table is missing"
    if opens:
        assert page.get_attribute("main .table-scroll tbody tr td:first-child a", "href") == opens


def test_list_pages_fit_a_phone(page, live_server, enrolled):  # noqa: F811
    units, users = enrolled.units, enrolled.users
    tien_kien = units["tien_kien"]
    run = allowances.allowance_run_compute(
        commune=tien_kien, month=AUG_2024, actor=users["canbo_xa1"]
    )
    allowances.allowance_run_transition(run=run, action="submit", actor=users["canbo_xa1"])
    funding_list = insurance.funding_list_compute(
        commune=tien_kien, quarter=datetime.date(2024, 7, 1), actor=users["canbo_xa1"]
    )
    insurance.funding_list_transition(
        funding_list=funding_list, action="submit", actor=users["canbo_xa1"]
    )
    page.set_viewport_size(PHONE)

    _fits(page, live_server, "canbo_xa1", f"/don-vi/{tien_kien.pk}/chi-tra/")
    _fits(page, live_server, "taichinh_huyen", "/chi-tra/cho-duyet/", opens=f"/chi-tra/{run.pk}/")
    _fits(
        page,
        live_server,
        "bhxh_huyen",
        "/bao-hiem/cho-xu-ly/",
        opens=f"/bao-hiem/{funding_list.pk}/",
    )
    _fits(
        page, live_server, "congan_huyen", f"/don-vi/{units['lam_thao'].pk}/bao-cao/thang/2024-08/"
    )
