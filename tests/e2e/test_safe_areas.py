"""In a real browser: the commune officer of Mỹ Tú registers Ấp Mỹ Phú for 2025 (a first
try with more households than the area has is refused), records an event on a second area,
self-assesses and sends, the commune reviews; the commune leader decides; the certificate is
downloaded. The area with the event cannot be recognised, and the page names the criterion.
Also at 390 px wide."""

import datetime
import os
from pathlib import Path

import pytest

from safe_areas.models import AreaYear, YearState
from teams.models import Role
from tests.builders import make_area, make_user
from tests.e2e.conftest import log_in_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))


def _register(page, households):
    form = page.locator("#form-dang-ky")
    form.locator("#id_resolution_number").fill("03-NQ/CB")
    form.locator("#id_resolution_date").fill("08/01/2025")
    form.locator("#id_registered_on").fill("15/01/2025")
    form.locator("#id_households_registered").fill(str(households))
    form.locator("button").click()


def _assess_all(page):
    form = page.locator("#form-tu-danh-gia")
    for radio in form.locator("input[type=radio][value='1']").all():
        radio.check()
    form.locator("button:has-text('Gửi tự đánh giá')").click()


def test_register_event_assess_decide_certificate(page, live_server, world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    make_user("lanhdao_ct", (Role.COMMUNE_LEADER, world.units["my_tu"]))
    commune = world.units["my_tu"]
    area = world.areas["my_tu_1"]
    other = make_area(commune, "Ấp Mỹ Thuận", 200)
    log_in_as(page, live_server, "canbo_ct", f"/don-vi/{commune.pk}/")
    page.click("a:has-text('An toàn về ANTT')")
    page.click("a:has-text('2025')")
    page.click(f"a:has-text('{area.name}')")
    _register(page, 700)  # more than the area's 610 households: refused
    assert "Số hộ đăng ký (700) nhiều hơn số hộ của Ấp Mỹ Phú (610)" in page.inner_text("main")
    assert not AreaYear.objects.exists()
    _register(page, 610)
    assert "Đã đăng ký" in page.inner_text("h1")
    _assess_all(page)
    assert "Đã tự đánh giá, gửi xã" in page.inner_text("h1")
    page.locator("#t-review button").click()
    assert "Đã thẩm định" in page.inner_text("h1")
    area_url = page.url

    # the second area: registered, an event, then the same steps
    page.goto(f"{live_server.url}/khu-dan-cu/{other.pk}/an-toan-antt/2025/")
    _register(page, 200)
    form = page.locator("#form-vu-viec")
    form.locator("#id_criterion").select_option("KDC-3e")
    form.locator("#id_occurred_on").fill("03/05/2025")
    form.locator("#id_description").fill("Tranh chấp đất đai kéo dài giữa hai hộ")
    form.locator("button").click()
    text = page.inner_text("#tieu-chi")
    assert "Ngày 03/05/2025: Tranh chấp đất đai kéo dài giữa hai hộ" in text
    screenshot(page, SCREENSHOTS / "safe-areas-event.png", full_page=True)
    # On a phone the self-assessment's answers are on screen, not off to the right of a
    # scrolling box: each criterion reads as a block.
    page.set_viewport_size({"width": 390, "height": 844})
    rightmost = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#form-tu-danh-gia input')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert rightmost <= 390, rightmost
    screenshot(page, SCREENSHOTS / "safe-areas-assess-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    _assess_all(page)
    page.locator("#t-review button").click()
    other_url = page.url

    today = datetime.date.today().strftime("%d/%m/%Y")
    log_in_as(page, live_server, "lanhdao_ct", other_url)
    form = page.locator("#t-recognise")
    form.locator("input[name=decision_number]").fill("45/QĐ-UBND")
    form.locator("input[name=decision_date]").fill(today)
    form.locator("input[name=decision_signer]").fill("Nguyễn Văn Bình")
    form.locator("button").click()
    assert "Không thể công nhận Ấp Mỹ Thuận: chưa đạt KDC-3e" in page.inner_text("main")
    assert AreaYear.objects.get(area=other).state == YearState.REVIEWED

    page.goto(area_url)
    form = page.locator("#t-recognise")
    form.locator("input[name=decision_number]").fill("45/QĐ-UBND")
    form.locator("input[name=decision_date]").fill(today)
    form.locator("input[name=decision_signer]").fill("Nguyễn Văn Bình")
    form.locator("button").click()
    assert "Được công nhận" in page.inner_text("h1")
    assert "chỉ xem, không sửa" in page.inner_text("main")
    screenshot(page, SCREENSHOTS / "safe-areas-recognised.png", full_page=True)
    with page.expect_download() as info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; "
            "document.body.appendChild(a); a.click(); }",
            page.locator("#giay-cong-nhan").get_attribute("href"),
        )
    path = SCREENSHOTS / "safe-areas-certificate.pdf"
    info.value.save_as(path)
    assert path.read_bytes()[:4] == b"%PDF"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/don-vi/{commune.pk}/an-toan-antt/?nam=2025")
    screenshot(page, SCREENSHOTS / "safe-areas-commune-390.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
