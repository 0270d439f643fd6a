"""In a real browser: the progress page of a document made in the background, while it runs,
after its worker died (marked failed, "Tạo lại"), and done again. Screenshots in
$ANTT_SCREENSHOTS when it is set."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from reporting.models import DocumentJob
from reporting.periods import Period
from tests.e2e.conftest import log_in_as, screenshot
from tests.pdf_tools import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))
AUG = Period.monthly(2024, 8)


def test_progress_page_then_a_dead_job_started_again(page, live_server, roster, settings):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    settings.DOCUMENT_JOB_STALE_SECONDS = 60
    now = timezone.now()
    job = DocumentJob.objects.create(
        requested_by=roster.users["congan_huyen"],
        unit=roster.units["lam_thao"],
        kind=AUG.kind,
        period=AUG.key,
        document="annex",
        status=DocumentJob.Status.RUNNING,
        done=3,
        total=7,
        started_at=now,
        heartbeat_at=now,
        note="Bỏ qua 2 xã không có thành viên đang tham gia (7 xã có thành viên).",
    )
    log_in_as(page, live_server, "congan_huyen", f"/tai-lieu/{job.pk}/")
    main = page.inner_text("main")
    assert "Đang tạo: 3/7 xã" in main and "Bỏ qua 2 xã" in main
    assert page.locator("progress").get_attribute("value") == "3"
    screenshot(page, SCREENSHOTS / "document-job-running.png", full_page=True)

    # The worker is killed: no progress for longer than the set time.
    long_ago = now - datetime.timedelta(minutes=5)
    with (
        live_server.thread.httpd.quiet()
    ):  # the progress page may be asking (SQLite: one connection)
        DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    page.reload()
    main = page.inner_text("main")
    assert "không có tiến triển trong 1 phút" in main
    screenshot(page, SCREENSHOTS / "document-job-failed.png", full_page=True)

    page.click("button:has-text('Tạo lại')")  # the test backend runs the new job at once
    page.wait_for_selector(".document-job[data-status=done]", timeout=60_000)
    assert "Đã bắt đầu tạo lại tài liệu" in page.inner_text("body")
    screenshot(page, SCREENSHOTS / "document-job-done.png", full_page=True)
    with page.expect_download() as download:
        page.click("a:has-text('Tải về')")
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Nguyễn Văn An" in text

    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, SCREENSHOTS / "document-job-done-390.png", full_page=True)
