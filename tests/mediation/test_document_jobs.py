"""Mediation documents above one commune in the background (core.jobs, issue 16 §2): the
city's yearly report and statistics go to the worker with a progress page, a document of
unchanged data is served again, a change renders it again, the job is its requester's only, and
a commune's PDF is still made at once."""

import datetime

import pytest
from django.urls import reverse

import core.documents
from mediation.models import DocumentJob, Outcome
from tests.mediation.helpers import client_for, record_case
from tests.pdf_tools import pdf_text

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_renders(monkeypatch):
    """How many times WeasyPrint was asked for a whole document."""
    calls = []
    real = core.documents.html_to_pdf

    def counting(html):
        calls.append(1)
        return real(html)

    monkeypatch.setattr(core.documents, "html_to_pdf", counting)
    return calls


def _ask(client, capture, url) -> DocumentJob:
    with capture(execute=True):
        response = client.get(url)
    assert response.status_code == 302, response.status_code
    return DocumentJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_the_city_report_is_made_in_the_background_and_served_again(
    side, pdf_renders, django_capture_on_commit_callbacks
):
    client = client_for(side, "sotuphap")
    url = reverse("mediation-report-pdf", args=[side.upper.pk, 2026])
    first = _ask(client, django_capture_on_commit_callbacks, url)
    assert first.status == DocumentJob.Status.DONE and not first.reused, first.error
    page = client.get(reverse("mediation-document-job", args=[first.pk])).content.decode()
    assert "Đã tạo xong" in page and "Báo cáo năm 2026 về hòa giải ở cơ sở" in page
    content = client.get(reverse("mediation-document-download", args=[first.pk])).content
    assert "3. Tổng hợp các đơn vị" in " ".join(pdf_text(content).split())

    second = _ask(client, django_capture_on_commit_callbacks, url)
    assert second.pk != first.pk and second.reused and len(pdf_renders) == 1
    assert (
        "dùng lại tài liệu đã tạo"
        in client.get(reverse("mediation-document-job", args=[second.pk])).content.decode()
    )

    # A case closes in Mỹ Tú: the city's figures change, so the report is laid out again.
    team = side.mediation.team
    record_case(team, side.users["tuphap"], list(team.mediators.all()), received=D(2026, 4, 1),
                outcome=Outcome.FAILURE, closed=D(2026, 4, 9))  # fmt: skip
    third = _ask(client, django_capture_on_commit_callbacks, url)
    assert third.status == DocumentJob.Status.DONE and not third.reused
    assert third.fingerprint != first.fingerprint and len(pdf_renders) == 2


def test_the_city_statistics_pdf_goes_to_the_worker_too(side, django_capture_on_commit_callbacks):
    client = client_for(side, "sotuphap")
    url = reverse("mediation-statistics", args=[side.upper.pk]) + "?ky=6thang&nam=2026&xuat=pdf"
    job = _ask(client, django_capture_on_commit_callbacks, url)
    assert (job.document, job.kind, job.year) == ("statistics", "6thang", 2026)
    page = client.get(reverse("mediation-document-job", args=[job.pk])).content.decode()
    assert "Thống kê hòa giải ở cơ sở 6 tháng đầu năm 2026" in page


def test_a_communes_pdf_is_made_at_once(side):
    response = client_for(side, "tuphap").get(
        reverse("mediation-report-pdf", args=[side.commune.pk, 2026])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert (
        not DocumentJob.objects.filter(unit=side.commune)
        .exclude(pk=side.mediation.document_job.pk)
        .exists()
    )


def test_a_job_is_its_requesters_and_a_failed_one_starts_again(
    side, django_capture_on_commit_callbacks
):
    client = client_for(side, "sotuphap")
    url = reverse("mediation-report-pdf", args=[side.upper.pk, 2026])
    job = _ask(client, django_capture_on_commit_callbacks, url)
    other = client_for(side, "tuphap")  # sees Mỹ Tú, not the city, and did not ask
    for name in ("mediation-document-job", "mediation-document-download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("mediation-document-restart", args=[job.pk])).status_code == 404
    DocumentJob.objects.filter(pk=job.pk).update(status="failed", error="Máy chủ khởi động lại")
    assert client.get(reverse("mediation-document-download", args=[job.pk])).status_code == 404
    assert (
        "Máy chủ khởi động lại"
        in client.get(reverse("mediation-document-job", args=[job.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mediation-document-restart", args=[job.pk]))
    again = DocumentJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    assert again.pk != job.pk and again.status == DocumentJob.Status.DONE
