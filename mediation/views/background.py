"""The pages of documents made in the background (above one commune): core.job_views."""

from __future__ import annotations

from core.job_views import JobUrls, job_views

from .. import documents, jobs
from ..access import access_document_job
from ._base import _page

document_job, document_restart, document_download = job_views(
    access=access_document_job,
    restart=jobs.restart,
    template="mediation/document_job.html",
    url_names=JobUrls(
        "mediation-document-job", "mediation-document-restart", "mediation-document-download"
    ),
    context=lambda job: _page(job.unit, title=documents.title(job)),
)
