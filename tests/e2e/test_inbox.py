"""In a real browser: the work inbox on the home page, the header badge that fills itself,
and the inbox page at phone width."""

import datetime

import pytest

from reporting.periods import Period, PeriodKind
from teams.models import RosterImport
from tests.e2e.conftest import log_in_as, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_officer_finds_their_work_on_the_home_page(page, live_server, roster, tmp_path):
    RosterImport.objects.create(
        commune=roster.units["my_tu"],
        uploaded_by=roster.users["canbo_ct"],
        file_name="danh-sach-my-tu.xlsx",
        content=b"",
        report={"errors": []},
    )
    log_in_as(page, live_server, "canbo_ct")
    inbox = page.locator("#viec-can-lam")
    current = Period.containing(PeriodKind.MONTHLY, datetime.date.today()).display
    assert current in inbox.inner_text()
    assert "Xác nhận nhập danh sách" in inbox.inner_text()
    badge = page.locator(".mainnav .badge")
    badge.wait_for(state="visible")
    rows = inbox.locator("tbody tr").count()
    assert badge.inner_text() == str(rows)
    screenshot(page, tmp_path / "home.png", full_page=True)

    page.click(".mainnav >> text=Việc cần làm")
    assert page.inner_text("h1") == "Việc cần làm"
    assert "Báo cáo định kỳ" in page.inner_text("main")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator(".mainnav .badge").wait_for(state="visible")
    screenshot(page, tmp_path / "inbox-390.png", full_page=True)
    # At phone width the list scrolls inside its card; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("text=danh-sach-my-tu.xlsx >> xpath=ancestor::tr//a")
    assert "/nhap-excel/" in page.url
    # Let the new page's badge request finish: the database is flushed after the test, and a
    # request still open on PostgreSQL deadlocks with that flush. (Its badge shows once it is
    # answered; "networkidle" waited for that plus half a second of quiet.)
    page.locator(".mainnav .badge").wait_for(state="visible")
