"""The 6-month and yearly mediation statistics (Circular 03/2019/TT-BTP Art. 6) as a page, a PDF
in the style of the yearly report and an XLSX: the 6-month report counts the data to 31/05,
the city's report has a row for each commune, another unit's statistics are not found."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mediation.models import Outcome
from tests.mediation.helpers import client_for, record_case
from tests.pdf_tools import pdf_text, pdf_to_png

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(side):
    """Mỹ Tú's book: the audit's case (received 02/03, thành 06/03) and three more — one
    không thành in April, one thành on 10/06 (after the 6-month data end, 31/05), one open."""
    team, officer = side.mediation.team, side.users["tuphap"]
    mediators = list(team.mediators.all())
    record_case(team, officer, mediators, received=D(2026, 4, 6), outcome=Outcome.FAILURE,
                closed=D(2026, 4, 20), case_type="family", origin="found")  # fmt: skip
    record_case(team, officer, mediators, received=D(2026, 5, 25), outcome=Outcome.SUCCESS,
                closed=D(2026, 6, 10), case_type="neighbour")  # fmt: skip
    record_case(team, officer, mediators, received=D(2026, 7, 1), case_type="civil")
    return side


def _get(side, persona, unit, client=None, **params):
    return (client or client_for(side, persona)).get(
        reverse("mediation-statistics", args=[unit.pk]), {"ky": "6thang", "nam": "2026", **params}
    )


def test_the_six_month_pdf_counts_the_data_to_31_may(cases):
    side = cases
    response = _get(side, "tuphap", side.commune, xuat="pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "BÁO CÁO THỐNG KÊ" in text
    assert "Kết quả hòa giải ở cơ sở — 6 tháng đầu năm 2026" in text
    assert "từ ngày 01/01/2026 đến ngày 31/05/2026" in text
    assert "(kỳ báo cáo từ 01/01/2026 đến 30/06/2026)" in text
    # received to 31/05: 3; thành by then 1 (the June one is still open at 31/05), không thành 1
    assert "Tổng cộng 3 1 1 1" in text
    assert "Tỷ lệ hòa giải thành" in text and "1/2" in text and "50,0 %" in text
    assert "Sở Tư pháp Thành phố Cần Thơ" in text  # nơi nhận, read from the tree
    assert "CHƯA XÁC MINH" in text  # the periods of Circular 17/2025 are not verified
    _keep(response.content, "xa")


def _keep(content: bytes, name: str) -> None:
    """With ANTT_PDF_PNG_DIR set, keep the pages as PNG there (to look at them)."""
    looked_at = os.environ.get("ANTT_PDF_PNG_DIR")
    if looked_at:
        directory = Path(looked_at) / name
        directory.mkdir(parents=True, exist_ok=True)
        pdf_to_png(content, directory, resolution=60)


def _job_pdf(client, response, capture) -> bytes:
    """Follow a PDF request above one commune: the job page, the worker's run (the test
    backend runs the task when the request's transaction commits), the download."""
    assert response.status_code == 302 and "/tai-lieu-hoa-giai/" in response.url
    page = client.get(response.url).content.decode()
    assert "Đã tạo xong" in page, page
    download = client.get(response.url + "tai-ve/")
    assert download["Content-Type"] == "application/pdf"
    return download.content


def test_the_city_pdf_and_xlsx_have_a_row_per_commune(cases, django_capture_on_commit_callbacks):
    side = cases
    client = client_for(side, "sotuphap")
    with django_capture_on_commit_callbacks(execute=True):
        response = _get(side, "", side.upper, client, xuat="pdf")
    content = _job_pdf(client, response, django_capture_on_commit_callbacks)
    _keep(content, "thanh-pho")
    text = " ".join(pdf_text(content).split())
    assert "4. Tổng hợp các đơn vị" in text
    assert "Xã Mỹ Tú 1 3 1/2 50,0 %" in text and "Xã Vị Thủy 0 0 0/0 —" in text
    book = load_workbook(io.BytesIO(_get(side, "sotuphap", side.upper, xuat="xlsx").content))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ["Xã Mỹ Tú", 1, 3, "1/2", "50,0 %"] in rows
    assert ["Tổng cộng", 3, 1, 1, 1] in rows
    page = _get(side, "sotuphap", side.upper).content.decode()
    assert "Tổng hợp theo đơn vị trực thuộc" in page and "xuat=pdf" in page


def test_the_yearly_pdf_counts_the_whole_year(cases):
    side = cases
    text = " ".join(
        pdf_text(_get(side, "tuphap", side.commune, ky="nam", xuat="pdf").content).split()
    )
    assert "Kết quả hòa giải ở cơ sở — năm 2026" in text and "kỳ báo cáo" not in text
    assert "Tổng cộng 4 2 1 1" in text


@pytest.mark.parametrize("persona", ["tuphap_vt", "canbo_xa1"])
def test_another_units_statistics_are_not_found(cases, persona):
    side = cases
    for fmt in ("pdf", "xlsx", ""):
        assert _get(side, persona, side.commune, xuat=fmt).status_code == 404


def test_the_statistics_take_the_same_number_of_queries(cases, django_assert_max_num_queries):
    from tests.mediation.test_consolidation_up import _commune

    side = cases
    client = client_for(side, "sotuphap")
    for n in (1, 6):
        for _i in range(n):
            _commune(side.upper, side.users["tuphap"])
        for fmt in ("", "xlsx"):
            with django_assert_max_num_queries(18):
                assert _get(side, "", side.upper, client, xuat=fmt).status_code == 200
