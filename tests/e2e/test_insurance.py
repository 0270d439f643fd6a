"""In a real browser: canbo_xa1 lists Tiên Kiên's members for 2024 Q3 and sends the list to
BHXH; bhxh_huyen returns it with a comment; canbo_xa1 fixes an HI card number and resubmits;
BHXH checks, commune and BHXH co-sign, taichinh_huyen approves from the queue. Afterwards
nobody can change it, and canbo_xa2 (another commune) gets 404."""

import os
from pathlib import Path

import pytest

from insurance.models import FundingList, HiEnrolment
from tests.e2e.conftest import log_in_as, screenshot
from tests.insurance.conftest import enrolled, insurance_params  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))


def _step(page, button: str, comment: str = ""):
    form = page.locator("form.transition", has=page.locator(f"button:has-text('{button}')"))
    if comment:
        form.locator("textarea").fill(comment)
    form.locator("button").click()


def test_return_fix_resubmit_approve(page, live_server, enrolled):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tien_kien = enrolled.units["tien_kien"].pk
    log_in_as(page, live_server, "canbo_xa1", f"/don-vi/{tien_kien}/")
    page.click("a:has-text('BHXH tự nguyện, BHYT')")
    page.select_option("#id_quarter", "2024-07-01")
    page.click("button:has-text('Lập')")
    main = page.inner_text("main")
    assert "2 BHXH tự nguyện, 2 BHYT" in main
    page.click("summary:has-text('BHXH tự nguyện 07/2024') >> nth=0")
    assert "Nghị định 134/2015/NĐ-CP" in page.inner_text("details[open]")
    _step(page, "Gửi BHXH kiểm tra")
    assert "Chờ BHXH kiểm tra" in page.inner_text("h1")
    list_url = page.url

    log_in_as(page, live_server, "bhxh_huyen")
    page.click("text=BHXH, BHYT chờ xử lý")
    assert "Xã Tiên Kiên" in page.inner_text("main")
    page.click("text=Xem và xử lý")
    _step(page, "BHXH trả lại")  # without a comment: refused
    assert "Cần ghi rõ lý do" in page.inner_text("main")
    _step(page, "BHXH trả lại", "Số thẻ BHYT của Phạm Đức Dũng không đúng.")
    assert "Bị trả lại" in page.inner_text("h1")
    screenshot(page, SCREENSHOTS / "insurance-returned.png", full_page=True)

    log_in_as(page, live_server, "canbo_xa1", list_url)
    assert "Số thẻ BHYT của Phạm Đức Dũng không đúng." in page.inner_text("#qua-trinh")
    page.goto(f"{live_server.url}/don-vi/{tien_kien}/bao-hiem/")
    page.locator("tr", has_text="Phạm Đức Dũng").locator("a:has-text('Sửa đăng ký')").click()
    page.fill("#id_hi-card_number", "GD4252522999999")
    page.click("button:has-text('Lưu')")
    assert HiEnrolment.objects.get(person__full_name="Phạm Đức Dũng").card_number == (
        "GD4252522999999"
    )
    page.goto(list_url)
    page.click("button:has-text('Lập lại')")
    _step(page, "Gửi BHXH kiểm tra")
    assert "Chờ BHXH kiểm tra" in page.inner_text("h1")

    log_in_as(page, live_server, "bhxh_huyen", list_url)
    _step(page, "Xác nhận đã đối chiếu")
    log_in_as(page, live_server, "canbo_xa1", list_url)
    _step(page, "UBND xã ký xác nhận")
    log_in_as(page, live_server, "bhxh_huyen", list_url)
    _step(page, "BHXH ký xác nhận")
    assert "Chờ tài chính duyệt" in page.inner_text("h1")

    log_in_as(page, live_server, "taichinh_huyen")
    page.click("text=BHXH, BHYT chờ xử lý")
    assert "Xã Tiên Kiên" in page.inner_text("main")
    page.click("text=Xem và xử lý")
    _step(page, "Phê duyệt kinh phí")
    assert "Đã duyệt" in page.inner_text("h1")
    screenshot(page, SCREENSHOTS / "insurance-approved.png", full_page=True)
    assert FundingList.objects.get().state == "approved"
    assert page.locator("button:has-text('Lập lại')").count() == 0

    # Nobody can change it: no recompute button, and a recompute is refused with the reason.
    log_in_as(page, live_server, "canbo_xa1", list_url)
    assert "không sửa được" in page.inner_text("main")
    assert page.locator("button:has-text('Lập lại')").count() == 0
    page.goto(f"{live_server.url}/don-vi/{tien_kien}/bao-hiem/")
    page.select_option("#id_quarter", "2024-07-01")
    page.click("button:has-text('Lập')")
    assert "không sửa được" in page.inner_text("main")
    assert FundingList.objects.get().state == "approved"

    response = log_in_as(page, live_server, "canbo_xa2", list_url)
    assert response.status == 404
