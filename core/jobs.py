"""Documents made in the background: one pattern for every app.

A page that would take more than a second or two (every document above one commune) creates a
job row and returns at once to a progress page; `manage.py db_worker` (django-tasks) makes the
document. An app declares its job model (``BackgroundJob`` + the fields naming the document,
listed in ``key_fields``), a task that calls ``run(Model, job_id, prepare)``, and a ``prepare``
that reads the data and returns a ``Prepared``: the fingerprint of what the document is made of
and the function that renders it.

- **Served again, not rendered again**: a finished job with the same fingerprint (a SHA-256 of
  the template's source and every value the template shows) lends its PDF, so a document of
  unchanged data costs the data reads, not WeasyPrint's seconds.
- **One at a time**: asking again while the same document is queued or running returns that job.
- **A killed worker** (SIGKILL, power loss) leaves a job "running" that never moves: a running
  job whose last sign of life (``heartbeat_at``, written with each progress step) is older than
  ``settings.DOCUMENT_JOB_STALE_SECONDS`` is marked failed with the reason when anyone looks at
  it, and ``restart`` starts it again.

Written here rather than taken from a library: django-tasks keeps the task's state but not a
document's progress, its result bytes or a content fingerprint, and its database worker does not
recover a task whose process died.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import pdf_processes

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# A running job that has not reported progress for this long is taken for dead. Progress comes
# every chunk (~600 rows, ~10 s on this machine) or at least once a minute, so five minutes is
# far above a live job's silence.
DEFAULT_STALE_SECONDS = 300


class BackgroundJob(models.Model):
    """A document rendered in the background, with its progress and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    # The fields that name the document (besides who asked): a restart asks for the same.
    key_fields: tuple[str, ...] = ()

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)  # e.g. how many empty communes skipped
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    reused = models.BooleanField(default=False)  # served from an earlier job's PDF
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def key(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.key_fields}


@dataclass(frozen=True)
class Prepared:
    """What `prepare` found: the document's fingerprint and how to render it."""

    fingerprint: str
    render: Callable[[Progress], tuple[bytes, str]]  # progress → (PDF bytes, file name)
    note: str = ""


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=getattr(settings, "DOCUMENT_JOB_STALE_SECONDS", DEFAULT_STALE_SECONDS)
    )


@functools.cache
def _print_css() -> bytes:
    # Given to WeasyPrint beside every document's HTML (core.pdf_processes), not written into
    # it: a document is made of it as much as of its template, so an edit of it must change
    # the fingerprint too (read once per process, like the parsed sheet itself).
    return pdf_processes.PRINT_CSS.read_bytes()


def fingerprint(template_name: str, *parts: Any) -> str:
    """SHA-256 of a template's source, the documents' style sheet (pdf/print.css) and the
    values the template is given (dates, decimals and model instances by their text; pass
    plain values, not querysets)."""
    # The Django engine's template keeps its source (a template edit changes the fingerprint).
    source = getattr(getattr(get_template(template_name), "template", None), "source", "")
    digest = hashlib.sha256(source.encode())
    digest.update(_print_css())
    digest.update(json.dumps(parts, default=str, ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def fail_stale[J: BackgroundJob](queryset: models.QuerySet[J]) -> int:
    """Mark failed, with the reason, the running jobs of `queryset` that stopped moving."""
    model = queryset.model
    limit = timezone.now() - stale_after()
    minutes = max(1, round(stale_after().total_seconds() / 60))
    return queryset.filter(status=model.Status.RUNNING, heartbeat_at__lt=limit).update(
        status=model.Status.FAILED,
        finished_at=timezone.now(),
        error=_(
            "Việc tạo tài liệu đã dừng giữa chừng: không có tiến triển trong %(m)s phút (tiến "
            "trình chạy nền bị tắt hoặc máy chủ khởi động lại). Bấm “Tạo lại” để làm lại từ đầu."
        )
        % {"m": minutes},
    )


def refresh[J: BackgroundJob](job: J) -> J:
    """The job as it stands, a dead one marked failed first."""
    if job.status == job.Status.RUNNING and fail_stale(
        type(job)._default_manager.filter(pk=job.pk)
    ):
        job.refresh_from_db()
    return job


def start[J: BackgroundJob](model: type[J], task: Any, *, requested_by: Any, **key: Any) -> J:
    """The job for this document: the one already queued or running for the same person and
    document if there is one, otherwise a new one handed to the worker after commit."""
    same = model._default_manager.filter(requested_by=requested_by, **key)
    fail_stale(same)
    live = same.filter(status__in=(model.Status.QUEUED, model.Status.RUNNING)).first()
    if live is not None:
        return live
    job = model._default_manager.create(requested_by=requested_by, **key)
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def restart[J: BackgroundJob](job: J, task: Any) -> J:
    """Start again a job that failed (or finished); a live one is returned as it is."""
    return start(type(job), task, requested_by=job.requested_by, **job.key())


def run[J: BackgroundJob](model: type[J], job_id: int, prepare: Callable[[J], Prepared]) -> None:
    """The body of an app's task: prepare, reuse or render, store, with progress and errors."""
    objects = model._default_manager
    job = objects.filter(pk=job_id).first()
    if job is None or job.status != model.Status.QUEUED:
        return  # deleted, or already run (a task delivered twice)
    now = timezone.now()
    objects.filter(pk=job_id).update(status=model.Status.RUNNING, started_at=now, heartbeat_at=now)
    mine = objects.filter(pk=job_id, status=model.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        mine.update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        prepared = prepare(job)
        mine.update(fingerprint=prepared.fingerprint, note=prepared.note)
        earlier = (
            objects.filter(fingerprint=prepared.fingerprint, status=model.Status.DONE)
            .exclude(content=None)
            .order_by("-finished_at")
            .first()
        )
        if earlier is not None:
            content, filename, reused = bytes(earlier.content or b""), earlier.filename, True
            progress(earlier.total or 1, earlier.total or 1)
        else:
            content, filename = prepared.render(progress)
            reused = False
    except Exception as exc:  # the page shows that it failed; the log keeps the details
        log.exception("background job %s.%s failed", model.__name__, job_id)
        mine.update(
            status=model.Status.FAILED,
            finished_at=timezone.now(),
            error=_("Không tạo được tài liệu (%(kind)s). Bấm “Tạo lại” hoặc báo quản trị viên.")
            % {"kind": type(exc).__name__},
        )
        return
    mine.update(
        status=model.Status.DONE,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        content=content,
        filename=filename,
        reused=reused,
    )
