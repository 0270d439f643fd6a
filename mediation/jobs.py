"""Mediation documents above one commune made in the background (core.jobs; `manage.py
db_worker` runs them): the yearly report and the statistics of a district or province."""

from __future__ import annotations

from django_tasks import task

from core import jobs
from core.formatting import ascii_slug
from teams.models import AdministrativeUnit, User

from .models import DocumentJob


def start(
    *, user: User, unit: AdministrativeUnit, document: str, year: int, kind: str = ""
) -> DocumentJob:
    return jobs.start(
        DocumentJob,
        render_document,
        requested_by=user,
        unit=unit,
        document=document,
        year=year,
        kind=kind,
    )


def restart(job: DocumentJob) -> DocumentJob:
    return jobs.restart(job, render_document)


def _prepare(job: DocumentJob) -> jobs.Prepared:
    from . import documents

    made = documents.make(unit=job.unit, document=job.document, year=job.year, kind=job.kind)

    def render(progress: jobs.Progress) -> tuple[bytes, str]:
        from core.documents import html_to_pdf

        progress(0, 1)
        content = html_to_pdf(made.html)
        progress(1, 1)
        return content, ascii_slug(made.filename) + ".pdf"

    # The HTML holds every figure the document shows (and its date), so the same HTML is the
    # same document.
    return jobs.Prepared(fingerprint=jobs.fingerprint(made.template, made.html), render=render)


@task()
def render_document(job_id: int) -> None:
    jobs.run(DocumentJob, job_id, _prepare)
