"""In a real browser: canbo_xa1 logs in with the form, sees only Tiên Kiên, and logs out.
(The other browser tests log in with a session cookie: conftest.log_in_as.)"""

import pytest
from playwright.sync_api import expect

from tests.builders import PASSWORD
from tests.e2e.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_officer_sees_only_own_commune(page, live_server, world, tmp_path):
    log_in(page, live_server, "canbo_xa1", "wrong password")
    assert "không đúng" in page.inner_text(".error-box")

    log_in(page, live_server, "canbo_xa1", PASSWORD)
    # Vietnamese, although the browser asks for English.
    expect(page.locator("h1")).to_have_text("Trang làm việc")  # the home page, not the form's
    expect(page.locator(".unit-card h2")).to_have_text(["Xã Tiên Kiên (cũ)"])
    page.click("text=Mở đơn vị")
    assert "Khu 1" in page.inner_text("main")
    screenshot(page, tmp_path / "commune.png", full_page=True)

    other = world.units["xuan_lung"].pk
    response = page.goto(f"{live_server.url}/don-vi/{other}/")
    assert response.status == 404
    assert "Xuân Lũng" not in page.content()
    assert "Không tìm thấy" in page.inner_text("h1")

    # "Đăng xuất" ends the session: the login form again, also for the unit's page.
    page.goto(f"{live_server.url}/")
    page.click("text=Đăng xuất")
    expect(page.locator("#id_username")).to_be_visible()
    page.goto(f"{live_server.url}/don-vi/{world.units['tien_kien'].pk}/")
    expect(page.locator("#id_username")).to_be_visible()
