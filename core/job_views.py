"""The three pages of a background document (core.jobs), one set for every app: the progress
page, "start again", and the download.

An app gives what is its own and gets the three views for its URL conf::

    pages = job_views(
        access=access_document_job,  # the app's access helper: 404 unless the user's job
        restart=jobs.restart,  # the app's core.jobs.restart with its task
        template="mediation/document_job.html",  # extends core/document_job.html
        url_names=JobUrls("mediation-document-job", "mediation-document-restart",
                          "mediation-document-download"),
        context=lambda job: {"title": documents.title(job)},  # more for the page
    )
    document_job, document_restart, document_download = pages

core knows no business entity: the job model comes with the access helper, which is where the
rule of who may see a job lives (teams.access.access_background_job).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import jobs
from .documents import pdf_response
from .jobs import BackgroundJob
from .views import Errors, submit

View = Callable[..., HttpResponse]


class JobUrls(NamedTuple):
    """The URL names of an app's three job pages (each takes the job's pk)."""

    page: str
    restart: str
    download: str


class JobViews(NamedTuple):
    page: View
    restart: View
    download: View


def job_views[J: BackgroundJob](
    *,
    access: Callable[[Any, int], J],
    restart: Callable[[J], J],
    template: str,
    url_names: JobUrls,
    context: Callable[[J], dict[str, Any]] = lambda job: {},
) -> JobViews:
    """The progress page, restart and download views of one app's background documents.

    The page's template receives `job` (as it stands, a dead one marked failed), `urls` (the
    `JobUrls`, for the restart form and the download link) and whatever `context(job)` adds.
    """

    @require_safe
    def page(request: HttpRequest, pk: int) -> HttpResponse:
        job = jobs.refresh(access(request.user, pk))
        return render(request, template, {**context(job), "job": job, "urls": url_names})

    @require_POST
    def start_again(request: HttpRequest, pk: int) -> HttpResponse:
        """Start again a document whose job failed (a killed worker) or is done."""
        job = access(request.user, pk)
        response = submit(
            request,
            None,
            lambda _d: restart(job),
            redirect_to=lambda new: reverse(url_names.page, args=[new.pk]),
            success=_("Đã bắt đầu tạo lại tài liệu."),
            errors=Errors.MESSAGES,
            error_redirect=reverse(url_names.page, args=[job.pk]),
        ).response
        assert response is not None  # a POST without a form always redirects, either way
        return response

    @require_safe
    def download(request: HttpRequest, pk: int) -> HttpResponse:
        job = access(request.user, pk)
        if job.status != job.Status.DONE or job.content is None:
            raise Http404(_("Tài liệu chưa tạo xong."))
        # The stored name is already a file-name-safe slug with ".pdf".
        return pdf_response(bytes(job.content), job.filename.removesuffix(".pdf"), inline=False)

    return JobViews(page, start_again, download)
