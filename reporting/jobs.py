"""Province-wide documents made in the background (django-tasks; `manage.py db_worker` runs
them), with progress a page can show and a download when done."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from teams.models import AdministrativeUnit, User

from .models import DocumentJob
from .periods import Period

log = logging.getLogger(__name__)


def start(*, user: User, unit: AdministrativeUnit, period: Period, document: str) -> DocumentJob:
    job = DocumentJob.objects.create(
        requested_by=user, unit=unit, kind=period.kind, period=period.key, document=document
    )
    transaction.on_commit(lambda: render_document.enqueue(job.pk))
    return job


@task()
def render_document(job_id: int) -> None:
    from . import documents, selectors, services

    job = DocumentJob.objects.select_related("unit").get(pk=job_id)
    DocumentJob.objects.filter(pk=job.pk).update(status=DocumentJob.Status.RUNNING)
    period = Period.parse(job.period, selectors.reporting_rules())

    def progress(done: int, total: int) -> None:
        DocumentJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        if job.document == "annex":
            content, filename = documents.annex_pdf(unit=job.unit, period=period, progress=progress)
        else:
            progress(0, 1)
            report = services.report_get(unit=job.unit, kind=period.kind, period=period)
            content, name = documents.report_pdf(report=report, period=period)
            filename = f"{name}.pdf"
            progress(1, 1)
    except Exception as exc:  # the page shows that it failed; the log keeps the details
        log.exception("document job %s failed", job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(
            status=DocumentJob.Status.FAILED,
            finished_at=timezone.now(),
            error=f"Không tạo được tài liệu ({type(exc).__name__}). Thử lại sau hoặc báo "
            f"quản trị viên.",
        )
        return
    from core.formatting import ascii_slug

    DocumentJob.objects.filter(pk=job.pk).update(
        status=DocumentJob.Status.DONE,
        finished_at=timezone.now(),
        content=content,
        filename=ascii_slug(filename.removesuffix(".pdf")) + ".pdf",
    )
