"""Insurance pages: who may see and do what (404 when not yours), documents, bounded queries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from insurance import selectors, services
from insurance.models import (
    FundingList,
    HiEnrolment,
    Incident,
    IncidentDocument,
    ListState,
    VsiEnrolment,
)
from rules.models import Parameter
from tests.builders import sign_in
from tests.pdf_tools import pdf_text

pytestmark = pytest.mark.usefixtures("one_layout_per_html")  # tests/conftest.py
D = datetime.date
Q3 = D(2024, 7, 1)


@pytest.fixture
def funding_list(enrolled):
    return services.funding_list_compute(
        commune=enrolled.units["tien_kien"], quarter=Q3, actor=enrolled.users["canbo_xa1"]
    )


@pytest.fixture
def incident(enrolled):
    chau = enrolled.members["chau"]
    return services.incident_save(
        data=services.IncidentData(
            membership=chau,
            kind="injury",
            occurred_on=D(2024, 9, 3),
            description="Bị thương khi tuần tra đêm",
            medical_costs=2_400_000,
            inpatient_days=4,
        ),
        actor=enrolled.users["canbo_xa1"],
    )


def get(client, roster, user, name, *args):
    sign_in(client, roster.users[user])
    return client.get(reverse(name, args=args))


def post(client, roster, user, name, *args, data=None, **kwargs):
    sign_in(client, roster.users[user])
    return client.post(reverse(name, args=args), data or {}, **kwargs)


WRONG = [("canbo_xa2", 404), ("taichinh_khac", 404), ("canbo_ct", 404), ("no_role", 404)]


@pytest.mark.parametrize(
    ("user", "status"),
    [("canbo_xa1", 200), ("bhxh_huyen", 200), ("taichinh_huyen", 200), *WRONG],
)
def test_commune_page_checks_ownership(client, enrolled, user, status):
    pk = enrolled.units["tien_kien"].pk
    assert get(client, enrolled, user, "insurance-lists", pk).status_code == status


@pytest.mark.parametrize("name", ["insurance-list", "insurance-pdf", "insurance-xlsx"])
@pytest.mark.parametrize(
    ("user", "status"),
    [("canbo_xa1", 200), ("bhxh_huyen", 200), ("taichinh_huyen", 200), *WRONG],
)
def test_list_pages_check_ownership(client, enrolled, funding_list, name, user, status):
    assert get(client, enrolled, user, name, funding_list.pk).status_code == status


@pytest.mark.parametrize(("user", "status"), [("canbo_xa1", 302), ("bhxh_huyen", 403), *WRONG])
def test_compute_needs_the_commune_officer(client, enrolled, user, status):
    pk = enrolled.units["tien_kien"].pk
    response = post(client, enrolled, user, "insurance-compute", pk, data={"quarter": "2024-07-01"})
    assert response.status_code == status
    assert FundingList.objects.exists() == (status == 302)


@pytest.mark.parametrize(("user", "status"), WRONG)
def test_transition_by_wrong_persona_is_404(client, enrolled, funding_list, user, status):
    response = post(
        client, enrolled, user, "insurance-transition", funding_list.pk,
        data={"action": "submit", "seen_state": "draft"},
    )  # fmt: skip
    assert response.status_code == status
    funding_list.refresh_from_db()
    assert funding_list.state == ListState.DRAFT


def test_walk_through_the_pages(client, enrolled, funding_list):
    def act(user, action, **extra):
        funding_list.refresh_from_db()
        return post(
            client, enrolled, user, "insurance-transition", funding_list.pk,
            data={"action": action, "seen_state": funding_list.state, **extra},
        )  # fmt: skip

    assert act("canbo_xa1", "submit").status_code == 302
    response = act("bhxh_huyen", "return")
    assert response.status_code == 200
    assert "Cần ghi rõ lý do" in response.content.decode()
    assert act("bhxh_huyen", "return", comment="Thiếu số thẻ BHYT").status_code == 302
    page = get(client, enrolled, "canbo_xa1", "insurance-list", funding_list.pk).content.decode()
    assert "Thiếu số thẻ BHYT" in page
    assert act("canbo_xa1", "submit").status_code == 302
    assert act("bhxh_huyen", "verify").status_code == 302
    assert act("canbo_xa1", "sign_commune").status_code == 302
    assert act("bhxh_huyen", "sign_bhxh").status_code == 302
    assert act("taichinh_khac", "approve").status_code == 404
    assert act("taichinh_huyen", "approve").status_code == 302
    funding_list.refresh_from_db()
    assert funding_list.state == ListState.APPROVED
    # read-only: recompute refused with the reason
    response = post(
        client, enrolled, "canbo_xa1", "insurance-compute", enrolled.units["tien_kien"].pk,
        data={"quarter": "2024-07-01"}, follow=True,
    )  # fmt: skip
    assert "không sửa được" in response.content.decode()
    assert act("taichinh_huyen", "advance", document_number="UNC 01", day="05/07/2024",
               amount="500000").status_code == 302  # fmt: skip
    funding_list.refresh_from_db()
    assert (funding_list.state, funding_list.advance_amount) == (ListState.ADVANCED, 500_000)


def test_queue_shows_lists_waiting_with_totals(client, enrolled, funding_list):
    services.funding_list_transition(
        funding_list=funding_list, action="submit", actor=enrolled.users["canbo_xa1"]
    )
    page = get(client, enrolled, "bhxh_huyen", "insurance-queue").content.decode()
    assert "Xã Tiên Kiên" in page
    page = get(client, enrolled, "taichinh_huyen", "insurance-queue").content.decode()
    assert "Không có danh sách nào" in page
    assert get(client, enrolled, "canbo_xa1", "insurance-queue").status_code == 403
    assert get(client, enrolled, "no_role", "insurance-queue").status_code == 403
    page = get(client, enrolled, "taichinh_khac", "insurance-queue").content.decode()
    assert "Xã Tiên Kiên" not in page


def test_pdf_and_xlsx_of_the_list(client, enrolled, funding_list):
    response = get(client, enrolled, "canbo_xa1", "insurance-pdf", funding_list.pk)
    text = pdf_text(response.content)
    assert "BHXH" in text or "bảo hiểm xã hội" in text.lower()
    assert "BẢN DỰ THẢO" in text
    assert "Nguyễn Văn An" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    response = get(client, enrolled, "canbo_xa1", "insurance-xlsx", funding_list.pk)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert any(row and row[1] == "Nguyễn Văn An" for row in values)
    total = next(row for row in values if row and row[1] == "Tổng cộng")
    header = next(row for row in values if row and row[0] == "STT")
    budget = total[header.index("Ngân sách hỗ trợ (đồng)")]
    assert budget == services.list_totals(funding_list)["budget"]


def test_list_pages_bounded_queries(client, enrolled, funding_list, django_assert_max_num_queries):
    sign_in(client, enrolled.users["canbo_xa1"])
    with django_assert_max_num_queries(25):
        client.get(reverse("insurance-list", args=[funding_list.pk]))
    with django_assert_max_num_queries(25):
        client.get(reverse("insurance-lists", args=[enrolled.units["tien_kien"].pk]))
    sign_in(client, enrolled.users["bhxh_huyen"])
    with django_assert_max_num_queries(15):
        client.get(reverse("insurance-queue"))


# --- enrolment --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"), [("canbo_xa1", 200), ("bhxh_huyen", 403), ("taichinh_huyen", 403), *WRONG]
)
def test_enrolment_page_ownership(client, enrolled, user, status):
    pk = enrolled.members["chau"].person_id
    assert get(client, enrolled, user, "insurance-enrolment", pk).status_code == status


def test_enrolment_saved_and_income_validated(client, enrolled):
    pk = enrolled.members["chau"].person_id
    data = {
        "vsi-enrolled": "on", "vsi-income": "1000000", "vsi-payment_mode": "3",
        "vsi-start_date": "01/01/2025", "vsi-months_supported_before": "0",
        "hi-enrolled": "on", "hi-card_number": "GD4252522000009", "hi-group": "antt",
        "hi-start_date": "01/01/2025",
    }  # fmt: skip
    response = post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data)
    assert response.status_code == 200
    assert "chuẩn nghèo" in response.content.decode()
    assert not VsiEnrolment.objects.filter(person_id=pk).exists()
    data["vsi-income"] = "2000000"
    response = post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data)
    assert response.status_code == 302
    assert VsiEnrolment.objects.get(person_id=pk).payment_mode == 3
    assert HiEnrolment.objects.get(person_id=pk).card_number == "GD4252522000009"


def test_certificate_added(client, enrolled):
    pk = enrolled.members["chau"].person_id
    data = {"certificate": "1", "cert-group": "poor", "cert-valid_from": "01/01/2024",
            "cert-valid_to": "31/12/2024", "cert-reference": "12/GCN"}  # fmt: skip
    assert (
        post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data).status_code == 302
    )
    assert enrolled.members["chau"].person.certificates.get().reference == "12/GCN"


# --- incidents --------------------------------------------------------------------------------


def test_incident_amounts(incident):
    assert incident.error == ""
    assert incident.rule_amount == 4 * 70_000
    assert incident.total == 2_400_000 + 280_000
    assert incident.snapshot.trace


def test_incident_refused_for_an_insured_member(enrolled):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="đang tham gia"):
        services.incident_save(
            data=services.IncidentData(
                membership=enrolled.members["an"], kind="sickness",
                occurred_on=D(2024, 9, 3), description="Ốm",
            ),
            actor=enrolled.users["canbo_xa1"],
        )  # fmt: skip


def test_death_pays_death_and_funeral(enrolled):
    incident = services.incident_save(
        data=services.IncidentData(
            membership=enrolled.members["chau"], kind="death", occurred_on=D(2024, 10, 1),
            description="Tai nạn khi truy đuổi đối tượng", inpatient_days=3,
        ),
        actor=enrolled.users["canbo_xa1"],
    )  # fmt: skip
    assert (incident.inpatient_days, incident.rule_amount) == (0, 65_000_000)


@pytest.mark.parametrize(("user", "status"), [("canbo_xa1", 200), ("bhxh_huyen", 403), *WRONG])
def test_incident_create_page_ownership(client, enrolled, user, status):
    pk = enrolled.units["tien_kien"].pk
    assert get(client, enrolled, user, "incident-create", pk).status_code == status


def test_incident_created_through_the_page(client, enrolled):
    data = {
        "membership": enrolled.members["chau"].pk, "kind": "sickness", "occurred_on": "03/09/2024",
        "description": "Sốt cao khi trực", "medical_costs": "500000", "inpatient_days": "2",
    }  # fmt: skip
    response = post(
        client, enrolled, "canbo_xa1", "incident-create", enrolled.units["tien_kien"].pk, data=data
    )
    assert response.status_code == 302
    assert Incident.objects.get().total == 500_000 + 140_000


@pytest.mark.parametrize("name", ["insurance-incident", "incident-pdf"])
@pytest.mark.parametrize(("user", "status"), [("canbo_xa1", 200), ("taichinh_huyen", 200), *WRONG])
def test_incident_pages_ownership(client, enrolled, incident, name, user, status):
    assert get(client, enrolled, user, name, incident.pk).status_code == status


@pytest.mark.parametrize(("user", "status"), [("canbo_xa1", 200), ("taichinh_huyen", 403), *WRONG])
def test_incident_edit_page_ownership(client, enrolled, incident, user, status):
    assert get(client, enrolled, user, "incident-edit", incident.pk).status_code == status


def test_incident_corrected_while_open_refused_once_submitted(client, enrolled, incident):
    data = {
        "membership": enrolled.members["chau"].pk, "kind": "injury", "occurred_on": "03/09/2024",
        "description": "Bị thương khi tuần tra", "medical_costs": "2400000", "inpatient_days": "6",
    }  # fmt: skip
    assert (
        post(client, enrolled, "canbo_xa1", "incident-edit", incident.pk, data=data).status_code
        == 302
    )
    incident.refresh_from_db()
    assert incident.rule_amount == 6 * 70_000
    IncidentDocument.objects.create(
        incident=incident,
        title="Giấy ra viện",
        file=_pdf_file(),
        uploaded_by=enrolled.users["canbo_xa1"],
    )
    services.incident_transition(
        incident=incident, action="submit", actor=enrolled.users["canbo_xa1"]
    )
    assert (
        post(client, enrolled, "canbo_xa1", "incident-edit", incident.pk, data=data).status_code
        == 403
    )


def _pdf_file(name="giay-ra-vien.pdf", size=None):
    content = b"%PDF-1.4\n" + (b"0" * (size or 100))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_incident_documents_and_approval(client, enrolled, incident):
    def act(user, action, **extra):
        incident.refresh_from_db()
        return post(
            client, enrolled, user, "incident-transition", incident.pk,
            data={"action": action, "seen_state": incident.state, **extra},
        )  # fmt: skip

    response = act("canbo_xa1", "submit")
    assert "Cần đính kèm giấy tờ" in response.content.decode()
    bad = post(client, enrolled, "canbo_xa1", "incident-document-add", incident.pk,
               data={"title": "Ảnh", "file": SimpleUploadedFile("a.exe", b"MZ")})  # fmt: skip
    assert "chỉ nhận tệp PDF, JPEG, PNG" in bad.content.decode()
    big = post(client, enrolled, "canbo_xa1", "incident-document-add", incident.pk,
               data={"title": "Lớn", "file": _pdf_file(size=5 * 1024 * 1024 + 1)})  # fmt: skip
    assert "quá lớn: tối đa 5 MB" in big.content.decode()
    assert post(client, enrolled, "canbo_xa2", "incident-document-add", incident.pk,
                data={"title": "X", "file": _pdf_file()}).status_code == 404  # fmt: skip
    ok = post(client, enrolled, "canbo_xa1", "incident-document-add", incident.pk,
              data={"title": "Giấy ra viện", "file": _pdf_file()})  # fmt: skip
    assert ok.status_code == 302
    document = IncidentDocument.objects.get()
    assert (
        get(client, enrolled, "taichinh_huyen", "incident-document", document.pk).status_code == 200
    )
    assert get(client, enrolled, "canbo_xa2", "incident-document", document.pk).status_code == 404
    assert act("canbo_xa1", "submit").status_code == 302
    assert act("taichinh_khac", "approve", decision_number="5/QĐ").status_code == 404
    assert "Cần ghi số quyết định" in act("taichinh_huyen", "approve").content.decode()
    assert act("taichinh_huyen", "approve", decision_number="15/QĐ-UBND").status_code == 302
    incident.refresh_from_db()
    assert incident.state == "approved"
    text = pdf_text(get(client, enrolled, "canbo_xa1", "incident-pdf", incident.pk).content)
    assert "QUYẾT ĐỊNH" in text and "15/QĐ-UBND" in text and "BẢN DỰ THẢO" not in text
    assert "chưa xác minh" not in text  # every value used is from the resolution's text


def test_an_incident_decision_on_a_press_figure_says_so(client, enrolled):
    """Issue 12 item 7: the decision marks its total and lists the unverified value."""
    Parameter.objects.filter(key="incident.inpatient_meal_per_day").update(source="press")
    incident = services.incident_save(
        data=services.IncidentData(
            membership=enrolled.members["chau"], kind="injury", occurred_on=D(2024, 9, 3),
            description="Bị thương khi tuần tra đêm", inpatient_days=4,
        ),
        actor=enrolled.users["canbo_xa1"],
    )  # fmt: skip
    text = pdf_text(get(client, enrolled, "canbo_xa1", "incident-pdf", incident.pk).content)
    assert "280.000(*)" in text.replace(" (*)", "(*)")
    assert (
        "(*) Số tiền tính theo giá trị chưa xác minh từ văn bản gốc, cần đối chiếu trước khi"
        in (" ".join(text.split()))
    )
    assert "Tiền ăn mỗi ngày điều trị nội trú" in " ".join(text.split())


# --- numbers for reports ------------------------------------------------------------------------


def test_insurance_numbers_count_approved_lines_in_the_window(enrolled, funding_list, incident):
    from insurance.selectors import insurance_numbers

    tien_kien = [enrolled.units["tien_kien"].pk]
    assert insurance_numbers(communes_qs_or_ids=tien_kien, start=Q3, end=D(2024, 9, 30)) == {
        "vsi_participants": 0, "hi_participants": 0, "state_support": 0,
        "province_support": 0, "member_pays": 0, "incidents": 0, "incident_amount": 0,
    }  # fmt: skip
    FundingList.objects.filter(pk=funding_list.pk).update(state=ListState.APPROVED)
    type(incident).objects.filter(pk=incident.pk).update(
        state="approved", approved_at=datetime.datetime(2024, 9, 20, 9, tzinfo=datetime.UTC)
    )
    numbers = insurance_numbers(
        communes_qs_or_ids=tien_kien, start=D(2024, 8, 1), end=D(2024, 9, 30)
    )
    # August and September: An and Bình (VSI), An and Dũng (HI)
    assert (numbers["vsi_participants"], numbers["hi_participants"]) == (2, 2)
    assert numbers["state_support"] == 2 * (33_000 + 99_000)
    assert numbers["province_support"] == 2 * 2 * 20_000
    assert numbers["incidents"] == 1 and numbers["incident_amount"] == 2_680_000
    # a month belongs to the window holding its first day: 15/7–14/8 has August only
    window = insurance_numbers(
        communes_qs_or_ids=tien_kien, start=D(2024, 7, 15), end=D(2024, 8, 14)
    )
    assert window["state_support"] == 33_000 + 99_000
    assert window["incidents"] == 0
    other = insurance_numbers(
        communes_qs_or_ids=[enrolled.units["xuan_lung"].pk], start=Q3, end=D(2024, 9, 30)
    )
    assert other["state_support"] == 0


def test_reports_carry_the_insurance_numbers(enrolled, funding_list):
    """The commune's monthly report (window 15/07–14/08/2024) shows August's approved support,
    and the district's consolidation adds it up."""
    from reporting import selectors, services
    from reporting.periods import Period

    aug = Period.monthly(2024, 8)
    report = services.report_get(unit=enrolled.units["tien_kien"], kind=aug.kind, period=aug)
    assert selectors.live_contents(report)["insurance_support_total"] == 0  # not approved yet
    FundingList.objects.filter(pk=funding_list.pk).update(state=ListState.APPROVED)
    contents = selectors.live_contents(report)
    assert (contents["vsi_participants"], contents["hi_participants"]) == (2, 2)
    assert contents["insurance_state_support"] == 33_000 + 99_000
    assert contents["insurance_support_total"] == 33_000 + 99_000 + 2 * 20_000
    services.report_transition(
        report=report,
        action="submit",
        actor=enrolled.users["canbo_xa1"],
        today=D(2024, 8, 10),
    )
    district = selectors.consolidation(unit=enrolled.units["lam_thao"], period=aug)
    assert district.totals["insurance_support_total"] == contents["insurance_support_total"]


def _grow_enrolled(enrolled, n):
    """n more members of Tiên Kiên's Khu 1, each in voluntary social insurance from July 2024."""
    from dataclasses import asdict

    from insurance.models import VsiEnrolment
    from teams.models import Membership, Person
    from tests.builders import membership_data, person_data

    people = Person.objects.bulk_create(
        Person(
            **asdict(
                person_data(full_name="Thành Viên " + "".join(chr(65 + int(d)) for d in f"{i:03d}"))
            )
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(person=p, team=enrolled.teams["tk1"], **asdict(membership_data()))
        for p in people
    )
    VsiEnrolment.objects.bulk_create(
        VsiEnrolment(person=p, income=1_500_000, start_date=datetime.date(2024, 7, 1))
        for p in people
    )


def _list_page_queries(client, funding_list, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("insurance-list", args=[funding_list.pk])
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_list_page_queries_do_not_grow_and_it_is_paginated(client, enrolled, monkeypatch):
    """3 enrolled people of Tiên Kiên, then 33 (about 10×): the same number of queries; with
    10 people a page the page holds 10 rows and the whole list's totals."""
    sign_in(client, enrolled.users["canbo_xa1"])
    compute = lambda: services.funding_list_compute(  # noqa: E731
        commune=enrolled.units["tien_kien"], quarter=Q3, actor=enrolled.users["canbo_xa1"]
    )
    small, _page = _list_page_queries(client, compute())
    _grow_enrolled(enrolled, 30)
    big_list = compute()
    big, _page = _list_page_queries(client, big_list)
    assert big == small

    monkeypatch.setattr(selectors, "LIST_ROWS_PER_PAGE", 10)
    sheet = selectors.list_sheet(funding_list=big_list)
    assert len(sheet.rows) == 33
    _n, first = _list_page_queries(client, big_list)
    _n, last = _list_page_queries(client, big_list, page="4")
    assert "Trang 1/4" in first and "Trang 4/4" in last
    from core.formatting import format_vnd

    assert format_vnd(sheet.budget) in first and format_vnd(sheet.budget) in last
    assert last.count("has-error-row") + last.count('<tr><td class="num">') <= 3


def test_list_xlsx_keeps_a_formula_like_name_as_text(client, enrolled):
    from teams.models import Person

    evil = "@SUM(1+1)*cmd|' /C calc'!A0"
    Person.objects.filter(pk=enrolled.members["an"].person.pk).update(full_name=evil)
    funding_list = services.funding_list_compute(
        commune=enrolled.units["tien_kien"], quarter=Q3, actor=enrolled.users["canbo_xa1"]
    )
    response = get(client, enrolled, "canbo_xa1", "insurance-xlsx", funding_list.pk)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == evil)
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("valid_to", ["31/12/9999", "01/01/0001"])
def test_an_implausible_certificate_date_is_refused(client, enrolled, valid_to):
    pk = enrolled.members["chau"].person_id
    data = {"certificate": "1", "cert-group": "poor", "cert-valid_from": "01/01/2024",
            "cert-valid_to": valid_to, "cert-reference": "12/GCN"}  # fmt: skip
    response = post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data)
    assert response.status_code == 200
    assert f"Ngày {valid_to} không hợp lý" in response.content.decode()
    assert not enrolled.members["chau"].person.certificates.exists()


def test_an_implausible_hi_validity_is_refused(client, enrolled):
    pk = enrolled.members["chau"].person_id
    data = {"vsi-payment_mode": "1", "hi-enrolled": "on", "hi-card_number": "GD4252522000009",
            "hi-group": "antt", "hi-start_date": "01/01/0001"}  # fmt: skip
    response = post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data)
    assert "Ngày 01/01/0001 không hợp lý" in response.content.decode()
    assert not HiEnrolment.objects.filter(person_id=pk, card_number="GD4252522000009").exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("giay-ra-vien.pdf", b"<html><body><script>alert(1)</script>", "Không nhận tệp SVG, HTML"),
        ("anh.png", b"MZ\x90\x00" + b"\x00" * 60, "không phải PDF, JPEG, PNG"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "Không nhận tệp SVG"),
    ],
)
def test_a_document_is_checked_by_its_content(client, enrolled, incident, name, content, says):
    response = post(client, enrolled, "canbo_xa1", "incident-document-add", incident.pk,
                    data={"title": "Giấy", "file": SimpleUploadedFile(name, content)})  # fmt: skip
    assert response.status_code == 200
    assert says in response.content.decode() and f"«{name}»" in response.content.decode()
    assert not IncidentDocument.objects.exists()


def test_a_real_photo_is_accepted(client, enrolled, incident):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG")
    photo = SimpleUploadedFile("hoa-don.jpg", out.getvalue(), content_type="image/jpeg")
    response = post(client, enrolled, "canbo_xa1", "incident-document-add", incident.pk,
                    data={"title": "Hóa đơn", "file": photo})  # fmt: skip
    assert response.status_code == 302
    assert IncidentDocument.objects.get().title == "Hóa đơn"


def test_lines_with_press_figures_are_marked_on_the_list_and_its_pdf(
    client, enrolled, funding_list
):
    # Issue 12 item 7: the VSI state support percentages come from the press (Decree 134/2015
    # as reported), so every VSI line is marked and the footnote names the value.
    page = get(client, enrolled, "canbo_xa1", "insurance-list", funding_list.pk)
    assert "(*)" in page.content.decode()
    text = " ".join(
        pdf_text(
            get(client, enrolled, "canbo_xa1", "insurance-pdf", funding_list.pk).content
        ).split()
    )
    assert "(*) Số tiền tính theo giá trị chưa xác minh từ văn bản gốc" in text
    assert "chưa xác minh: báo chí" in text


def test_the_parameter_admin_filters_by_source(client, roster):
    sign_in(client, roster.users["admin"])
    url = reverse("admin:rules_parameter_changelist")
    press = client.get(url, {"source": "press"})
    assert press.status_code == 200
    shown = {p.source for p in press.context["cl"].result_list}
    assert shown == {"press"}
    assert client.get(url, {"source": "resolution"}).context["cl"].result_count > 0


def test_enrolment_records_island_and_household_position(client, enrolled):
    pk = enrolled.members["chau"].person_id
    data = {
        "vsi-enrolled": "on", "vsi-income": "1500000", "vsi-payment_mode": "1",
        "vsi-start_date": "01/01/2025", "vsi-months_supported_before": "0", "vsi-island": "yes",
        "hi-enrolled": "on", "hi-card_number": "GD4252522000009", "hi-group": "household",
        "hi-household_position": "3", "hi-start_date": "01/01/2025",
    }  # fmt: skip
    response = post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data)
    assert response.status_code == 302
    assert VsiEnrolment.objects.get(person_id=pk).island is True
    assert HiEnrolment.objects.get(person_id=pk).household_position == 3
    page = get(client, enrolled, "canbo_xa1", "insurance-enrolment", pk).content.decode()
    assert 'value="yes" selected' in page and 'value="3" selected' in page
    data.update({"vsi-island": "", "hi-household_position": "9"})
    response = post(client, enrolled, "canbo_xa1", "insurance-enrolment", pk, data=data)
    assert response.status_code == 200  # a clear message, nothing changed
    assert HiEnrolment.objects.get(person_id=pk).household_position == 3
