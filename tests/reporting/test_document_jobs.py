"""Documents above one commune in the background (core.jobs): progress, served again for
unchanged data, one job at a time, a dead job marked failed and started again, and the annex
leaving out communes with no one serving."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

import core.documents
from reporting import services
from reporting.models import DocumentJob
from reporting.periods import Period
from teams.models import EndGround, Membership
from tests.builders import sign_in
from tests.pdf_tools import pdf_text

AUG = Period.monthly(2024, 8)
ARGS = ("thang", "2024-08")


def url(name, *args):
    return reverse(name, args=args)


@pytest.fixture
def officer(client, roster):
    sign_in(client, roster.users["congan_huyen"])
    return client


@pytest.fixture
def pdf_renders(monkeypatch):
    """How many times WeasyPrint was asked for a whole report."""
    calls = []
    real = core.documents.html_to_pdf

    def counting(html):
        calls.append(1)
        return real(html)

    monkeypatch.setattr(core.documents, "html_to_pdf", counting)
    return calls


def ask(client, capture, name, roster):
    with capture(execute=True):
        response = (client.post if name == "report-annex" else client.get)(
            url(name, roster.units["lam_thao"].pk, *ARGS)
        )
    assert response.status_code == 302
    return DocumentJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_unchanged_report_is_served_again_changed_one_is_rendered(
    officer, roster, pdf_renders, django_capture_on_commit_callbacks
):
    first = ask(officer, django_capture_on_commit_callbacks, "report-pdf", roster)
    assert first.status == DocumentJob.Status.DONE and not first.reused, first.error
    second = ask(officer, django_capture_on_commit_callbacks, "report-pdf", roster)
    assert second.pk != first.pk
    assert second.status == DocumentJob.Status.DONE and second.reused
    assert second.fingerprint == first.fingerprint
    assert bytes(second.content) == bytes(first.content)
    assert len(pdf_renders) == 1  # WeasyPrint ran once
    page = officer.get(url("document-job", second.pk)).content.decode()
    assert "dùng lại tài liệu đã tạo" in page

    # A commune sends its report: the consolidated numbers change, so it is rendered again.
    report = services.report_get(unit=roster.units["tien_kien"], kind=AUG.kind, period=AUG)
    services.report_transition(
        report=report,
        action="submit",
        actor=roster.users["canbo_xa1"],
        today=datetime.date(2024, 8, 10),
    )
    third = ask(officer, django_capture_on_commit_callbacks, "report-pdf", roster)
    assert third.status == DocumentJob.Status.DONE and not third.reused
    assert third.fingerprint != first.fingerprint
    assert len(pdf_renders) == 2


def test_asking_again_while_it_runs_returns_the_same_job(officer, roster):
    # No on-commit callbacks run: the job stays queued as if the worker were busy.
    first = officer.get(url("report-pdf", roster.units["lam_thao"].pk, *ARGS))
    again = officer.get(url("report-pdf", roster.units["lam_thao"].pk, *ARGS))
    assert first.url == again.url
    assert DocumentJob.objects.count() == 1
    page = officer.get(first.url).content.decode()
    assert 'http-equiv="refresh"' in page and "Đang chờ đến lượt" in page


def test_a_job_without_progress_is_marked_failed_and_can_be_started_again(
    officer, roster, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_JOB_STALE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(seconds=61)
    job = DocumentJob.objects.create(
        requested_by=roster.users["congan_huyen"],
        unit=roster.units["lam_thao"],
        kind=AUG.kind,
        period=AUG.key,
        document="annex",
        status=DocumentJob.Status.RUNNING,
        total=2,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    # Still within the limit: running.
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert "Đang tạo: 0/2" in officer.get(url("document-job", job.pk)).content.decode()
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    page = officer.get(url("document-job", job.pk)).content.decode()
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "không có tiến triển trong 1 phút" in job.error
    assert "không có tiến triển" in page and "Tạo lại" in page
    assert 'http-equiv="refresh"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url("document-restart", job.pk))
    new = DocumentJob.objects.exclude(pk=job.pk).get()
    assert response.url == url("document-job", new.pk)
    assert new.status == DocumentJob.Status.DONE, new.error
    assert "Nguyễn Văn An" in pdf_text(bytes(new.content))


def test_restarting_is_the_requesters_only(client, roster):
    job = DocumentJob.objects.create(
        requested_by=roster.users["congan_huyen"],
        unit=roster.units["lam_thao"],
        kind=AUG.kind,
        period=AUG.key,
        document="annex",
        status=DocumentJob.Status.FAILED,
    )
    for user in ("congan_tinh", "canbo_xa1", "canbo_xa2"):
        sign_in(client, roster.users[user])
        assert client.post(url("document-restart", job.pk)).status_code == 404
    assert DocumentJob.objects.count() == 1


def test_annex_skips_communes_with_no_one_serving(
    officer, roster, django_capture_on_commit_callbacks
):
    from reporting import selectors

    # Xuân Lũng's one member left the day before the window ends: no one serves there then.
    Membership.objects.filter(team__commune=roster.units["xuan_lung"]).update(
        end_date=AUG.window_end - datetime.timedelta(days=1), end_ground=EndGround.APPLICATION
    )
    communes = list(selectors.communes_for(roster.units["lam_thao"], AUG))
    serving = {
        m.team.commune_id
        for m in Membership.objects.filter(team__commune__in=communes)
        .exclude(end_date__lt=AUG.window_end)
        .select_related("team")
    }
    empty = [c for c in communes if c.pk not in serving]
    assert roster.units["xuan_lung"] in empty and serving
    job = ask(officer, django_capture_on_commit_callbacks, "report-annex", roster)
    assert job.status == DocumentJob.Status.DONE, job.error
    assert f"Bỏ qua {len(empty)} xã" in job.note
    assert job.total == len(communes) - len(empty)
    text = pdf_text(bytes(job.content))
    assert f"bỏ qua {len(empty)} xã không có thành viên" in text
    for commune in empty:
        assert commune.name not in text
    assert f"Bỏ qua {len(empty)} xã" in officer.get(url("document-job", job.pk)).content.decode()
