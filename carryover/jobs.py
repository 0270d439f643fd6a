"""The province-wide carry-over in the task worker (django-tasks; `manage.py db_worker` runs
it), with progress the province page shows."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from teams.models import AdministrativeUnit, User

from .models import ProvinceJob

log = logging.getLogger(__name__)


def start(*, user: User, province: AdministrativeUnit, dry_run: bool) -> ProvinceJob:
    job = ProvinceJob.objects.create(requested_by=user, province=province, dry_run=dry_run)
    transaction.on_commit(lambda: run_province.enqueue(job.pk))
    return job


@task()
def run_province(job_id: int) -> None:
    from . import services

    job = ProvinceJob.objects.select_related("province", "requested_by").get(pk=job_id)
    ProvinceJob.objects.filter(pk=job.pk).update(status=ProvinceJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ProvinceJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        summary = services.province_carry_over(
            province=job.province,
            actor=job.requested_by,
            dry_run=job.dry_run,
            progress=progress,
            chunk=50,
        )
    except Exception as exc:  # the page shows that it failed; the log keeps the details
        log.exception("carry-over job %s failed", job.pk)
        ProvinceJob.objects.filter(pk=job.pk).update(
            status=ProvinceJob.Status.FAILED,
            finished_at=timezone.now(),
            error=f"Không chuyển giao hết được ({type(exc).__name__}). Các xã đã xong vẫn giữ; chạy "
            f"lại để tiếp tục (xã đã chuyển giao được bỏ qua) hoặc báo quản trị viên.",
        )
        return
    ProvinceJob.objects.filter(pk=job.pk).update(
        status=ProvinceJob.Status.DONE, finished_at=timezone.now(), summary=summary
    )
