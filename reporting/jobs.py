"""Documents above one commune made in the background (core.jobs; `manage.py db_worker` runs
them): the consolidated report of a district or province and the roster annex."""

from __future__ import annotations

from django_tasks import task

from core import jobs
from core.formatting import ascii_slug
from teams.models import AdministrativeUnit, User

from .models import DocumentJob
from .periods import Period


def start(*, user: User, unit: AdministrativeUnit, period: Period, document: str) -> DocumentJob:
    return jobs.start(
        DocumentJob,
        render_document,
        requested_by=user,
        unit=unit,
        kind=period.kind,
        period=period.key,
        document=document,
    )


def restart(job: DocumentJob) -> DocumentJob:
    return jobs.restart(job, render_document)


def _prepare(job: DocumentJob) -> jobs.Prepared:
    from . import documents, selectors, services

    period = Period.parse(job.period, selectors.reporting_rules())
    if job.document == "annex":
        return documents.annex_prepare(unit=job.unit, period=period)
    report = services.report_get(unit=job.unit, kind=period.kind, period=period)
    prepared = documents.report_prepare(report=report, period=period)

    def render(progress: jobs.Progress) -> tuple[bytes, str]:
        content, name = prepared.render(progress)
        return content, ascii_slug(name) + ".pdf"

    return jobs.Prepared(fingerprint=prepared.fingerprint, render=render)


@task()
def render_document(job_id: int) -> None:
    jobs.run(DocumentJob, job_id, _prepare)
