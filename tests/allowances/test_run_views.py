"""Allowance pages: who may see and do what, the payment list documents, bounded queries."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from allowances import services
from allowances.models import AllowanceRun, DutyEntry, RunState
from rules.base import DutyKind
from rules.models import Parameter
from tests.builders import sign_in
from tests.pdf_tools import pdf_text

pytestmark = pytest.mark.usefixtures("one_layout_per_html")  # tests/conftest.py
AUG = datetime.date(2024, 8, 1)


@pytest.fixture
def run(roster):
    return services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=AUG, actor=roster.users["canbo_xa1"]
    )


def get(client, roster, user, name, *args, **params):
    sign_in(client, roster.users[user])
    return client.get(reverse(name, args=args), params)


# --- ownership: the wrong persona gets 404 on every view --------------------------------------

VIEWS = ["allowance-runs", "duty-log"]


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("canbo_xa1", 200),
        ("taichinh_huyen", 200),
        ("congan_tinh", 200),
        ("canbo_xa2", 404),
        ("taichinh_khac", 404),
        ("canbo_ct", 404),
        ("no_role", 404),
    ],
)
def test_commune_pages_check_ownership(client, roster, name, user, status):
    pk = roster.units["tien_kien"].pk
    assert get(client, roster, user, name, pk).status_code == status


@pytest.mark.parametrize("name", ["allowance-run", "allowance-pdf", "allowance-xlsx"])
@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("canbo_xa1", 200),
        ("taichinh_huyen", 200),
        ("bhxh_huyen", 200),
        ("canbo_xa2", 404),
        ("taichinh_khac", 404),
        ("taichinh_ct", 404),
        ("no_role", 404),
    ],
)
def test_run_pages_check_ownership(client, roster, run, name, user, status):
    assert get(client, roster, user, name, run.pk).status_code == status


def test_missing_run_is_404(client, roster):
    assert get(client, roster, "canbo_xa1", "allowance-run", 999_999).status_code == 404


@pytest.mark.parametrize(
    ("user", "status"),
    [("canbo_xa2", 404), ("taichinh_khac", 404), ("congan_tinh", 403), ("taichinh_huyen", 403)],
)
def test_computing_needs_the_commune_officer(client, roster, user, status):
    sign_in(client, roster.users[user])
    url = reverse("allowance-compute", args=[roster.units["tien_kien"].pk])
    assert client.post(url, {"month": AUG.isoformat()}).status_code == status
    assert not AllowanceRun.objects.exists()


def test_computing_from_the_page(client, roster):
    sign_in(client, roster.users["canbo_xa1"])
    url = reverse("allowance-compute", args=[roster.units["tien_kien"].pk])
    response = client.post(url, {"month": AUG.isoformat()})
    run = AllowanceRun.objects.get()
    assert response.url == reverse("allowance-run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "4.250.000 đ" in page and "Nguyễn Văn An" in page
    assert "NQ 03/2024/NQ-HĐND tỉnh Phú Thọ" in page


def test_a_bad_month_changes_nothing(client, roster):
    sign_in(client, roster.users["canbo_xa1"])
    url = reverse("allowance-compute", args=[roster.units["tien_kien"].pk])
    response = client.post(url, {"month": "2030-01-01"}, follow=True)
    assert "Chọn tháng trong danh sách" in response.content.decode()
    assert not AllowanceRun.objects.exists()


@pytest.mark.parametrize(
    ("user", "action", "status"),
    [
        ("canbo_xa2", "submit", 404),
        ("taichinh_khac", "approve", 404),
        ("congan_tinh", "submit", 403),
        ("bhxh_huyen", "submit", 403),
    ],
)
def test_transitions_check_role_and_unit(client, roster, run, user, action, status):
    sign_in(client, roster.users[user])
    response = client.post(
        reverse("allowance-transition", args=[run.pk]), {"action": action, "seen_state": run.state}
    )
    assert response.status_code == status
    assert AllowanceRun.objects.get().state == RunState.DRAFT


def test_submit_and_approve_through_the_pages(client, roster, run):
    sign_in(client, roster.users["canbo_xa1"])
    url = reverse("allowance-transition", args=[run.pk])
    client.post(url, {"action": "submit", "seen_state": "draft"})
    sign_in(client, roster.users["taichinh_huyen"])
    queue = client.get(reverse("allowance-queue")).content.decode()
    assert "Xã Tiên Kiên" in queue and "4.250.000 đ" in queue
    response = client.post(url, {"action": "return", "seen_state": "submitted", "comment": ""})
    assert "Cần ghi rõ lý do" in response.content.decode()
    client.post(url, {"action": "approve", "seen_state": "submitted"})
    assert AllowanceRun.objects.get().state == RunState.APPROVED
    stale = client.post(url, {"action": "approve", "seen_state": "submitted"})
    assert "Đã duyệt" in stale.content.decode()


def test_the_queue_is_for_finance_and_shows_only_their_communes(client, roster, run):
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    assert get(client, roster, "taichinh_khac", "allowance-queue").context["runs"] == []
    assert get(client, roster, "canbo_xa1", "allowance-queue").status_code == 403


def test_payment_list_pdf_matches_the_run(client, roster, run):
    response = get(client, roster, "canbo_xa1", "allowance-pdf", run.pk)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ỦY BAN NHÂN DÂN XÃ TIÊN KIÊN" in text
    assert "BẢN DỰ THẢO" in text  # not approved yet
    assert "4.250.000" in text
    assert "Bốn triệu hai trăm năm mươi nghìn đồng" in text
    assert "Nguyễn Văn An" in text and "Tổ bảo vệ ANTT Khu 2" in text


def test_payment_list_pdf_says_the_total_in_the_accountants_words(client, roster, run, tmp_path):
    # Issue 12 item 1: 1.005.000 prints "Một triệu không trăm linh năm nghìn đồng", not the
    # everyday "Một triệu năm nghìn đồng".
    lines = run.lines.order_by("pk")
    lines.exclude(pk=lines.first().pk).update(amount=0)
    lines.filter(pk=lines.first().pk).update(amount=1_005_000)
    response = get(client, roster, "canbo_xa1", "allowance-pdf", run.pk)
    (tmp_path / "danh-sach.pdf").write_bytes(response.content)
    text = " ".join(pdf_text(response.content).split())
    assert "1.005.000" in text
    assert "Bằng chữ: Một triệu không trăm linh năm nghìn đồng." in text


def test_payment_list_xlsx_has_the_same_total(client, roster, run):
    response = get(client, roster, "canbo_xa1", "allowance-xlsx", run.pk)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "STT")
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[header.index("Tổng số tiền (đồng)")] == 4_250_000


def test_run_page_queries_do_not_grow_with_members(
    client, roster, run, django_assert_max_num_queries
):
    sign_in(client, roster.users["canbo_xa1"])
    with django_assert_max_num_queries(25):
        client.get(reverse("allowance-run", args=[run.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("allowance-runs", args=[roster.units["tien_kien"].pk]))


def test_duty_log_records_and_deletes(client, roster):
    sign_in(client, roster.users["canbo_xa1"])
    url = reverse("duty-log", args=[roster.units["tien_kien"].pk]) + "?thang=2024-08"
    response = client.post(
        url,
        {
            "membership": roster.members["an"].pk,
            "day": "03/08/2024",
            "kind": DutyKind.NIGHT,
            "units": 1,
            "thang": "2024-08",
        },
    )
    assert response.status_code == 302
    entry = DutyEntry.objects.get()
    assert (
        get(
            client, roster, "canbo_xa2", "duty-log", roster.units["xuan_lung"].pk, thang="2024-08"
        ).status_code
        == 200
    )
    sign_in(client, roster.users["canbo_xa2"])
    assert client.post(reverse("duty-delete", args=[entry.pk])).status_code == 404
    sign_in(client, roster.users["congan_tinh"])
    assert client.post(reverse("duty-delete", args=[entry.pk])).status_code == 403
    sign_in(client, roster.users["canbo_xa1"])
    client.post(reverse("duty-delete", args=[entry.pk]))
    assert not DutyEntry.objects.exists()


def test_duty_log_refuses_a_day_outside_the_membership(client, roster):
    sign_in(client, roster.users["canbo_xa1"])
    url = reverse("duty-log", args=[roster.units["tien_kien"].pk]) + "?thang=2024-07"
    response = client.post(
        url,
        {
            "membership": roster.members["an"].pk,
            "day": "01/07/2024",
            "kind": DutyKind.NIGHT,
            "units": 1,
            "thang": "2024-07",
        },
    )
    assert "ngoài thời gian tham gia" in response.content.decode()
    assert not DutyEntry.objects.exists()


def test_parameter_trial_is_for_administrators(client, roster):
    for user in ["canbo_xa1", "taichinh_huyen", "congan_tinh"]:
        assert get(client, roster, user, "parameter-trial").status_code == 403


def test_parameter_trial_previews_then_saves(client, roster, run):
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    services.allowance_run_transition(
        run=run, action="approve", actor=roster.users["taichinh_huyen"]
    )
    sign_in(client, roster.users["admin"])
    data = {
        "key": "support.to_vien",
        "jurisdiction": "25",
        "unit": "vnd",
        "value": "1.200.000",
        "effective_from": "01/08/2024",
        "citation": "NQ sửa đổi (thử nghiệm)",
        "source": "resolution",
        "preview_from": "08/2024",
        "preview_to": "08/2024",
    }
    preview = client.post(reverse("parameter-trial"), {**data, "preview": "1"})
    assert preview.context["difference"] == 200_000
    assert not Parameter.objects.filter(value="1200000").exists()
    saved = client.post(reverse("parameter-trial"), {**data, "save": "1"}, follow=True)
    assert "tính lại 1 kỳ chi trả" in saved.content.decode()
    september = AllowanceRun.objects.get(month=datetime.date(2024, 9, 1))
    assert september.lines.filter(kind="arrears").get().amount == 200_000


def test_parameter_trial_bad_value_changes_nothing(client, roster):
    sign_in(client, roster.users["admin"])
    response = client.post(
        reverse("parameter-trial"),
        {
            "key": "support.to_vien",
            "jurisdiction": "25",
            "unit": "vnd",
            "value": "một triệu",
            "effective_from": "01/08/2024",
            "citation": "x",
            "save": "1",
        },
    )
    assert "không hợp lệ" in response.content.decode()
    assert not Parameter.objects.filter(origin="admin").exists()


# --- the run page: paginated, traces folded, constant queries ---------------------------------


def _grow(roster, n):
    """`n` more members, written in a few statements (tests.builders.add_members): these
    tests count the run page's queries, not the roster service's."""
    from tests.builders import add_members, membership_data, person_data

    add_members(
        [
            (
                roster.teams["tk1" if i % 2 else "tk2"],
                person_data(
                    full_name="Thành Viên " + "".join(chr(65 + int(d)) for d in f"{i:03d}")
                ),
                membership_data(over_quota_reason="Thử số truy vấn"),
            )
            for i in range(n)
        ]
    )


def _run_page_queries(client, run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("allowance-run", args=[run.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_run_page_queries_do_not_grow_with_the_roster(client, roster):
    """4 members, then 40 (10×): the run page issues the same number of queries."""
    sign_in(client, roster.users["canbo_xa1"])
    commune, actor = roster.units["tien_kien"], roster.users["canbo_xa1"]
    small = services.allowance_run_compute(commune=commune, month=AUG, actor=actor)
    assert small.lines.values("membership").distinct().count() == 4
    before = _run_page_queries(client, small)
    _grow(roster, 36)
    big = services.allowance_run_compute(commune=commune, month=AUG, actor=actor)
    assert big.lines.values("membership").distinct().count() == 40
    assert _run_page_queries(client, big) == before


def test_run_page_is_paginated_with_the_whole_runs_totals(client, roster, monkeypatch):
    from allowances import selectors

    monkeypatch.setattr(selectors, "RUN_ROWS_PER_PAGE", 5)
    _grow(roster, 8)
    run = services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=AUG, actor=roster.users["canbo_xa1"]
    )
    sign_in(client, roster.users["canbo_xa1"])
    url = reverse("allowance-run", args=[run.pk])
    first = client.get(url).content.decode()
    last = client.get(url, {"page": "3"}).content.decode()
    sheet = selectors.run_sheet(run=run)
    assert len(sheet.rows) == 12
    assert "Trang 1/3" in first and "Trang 3/3" in last
    assert first.count("has-error-row") + first.count('<tr><td class="num">') <= 5 + 1
    assert last.count('<details class="trace">') <= 2 * 2  # two people, a line or two each
    from core.formatting import format_vnd

    assert format_vnd(sheet.total) in first and format_vnd(sheet.total) in last  # whole run
    assert "(tiếp)" in client.get(url, {"page": "2"}).content.decode()
    assert client.get(url, {"page": "99"}).status_code == 200  # the last page, not an error


def test_payment_list_xlsx_keeps_a_formula_like_name_as_text(client, roster):
    from teams.models import Person

    evil = '=HYPERLINK("http://evil.example","Bấm")'
    Person.objects.filter(pk=roster.members["an"].person.pk).update(full_name=evil)
    run = services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=AUG, actor=roster.users["canbo_xa1"]
    )
    response = get(client, roster, "canbo_xa1", "allowance-xlsx", run.pk)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == evil)
    assert cell.data_type == "s" and cell.quotePrefix


def test_lines_computed_with_press_figures_are_marked_on_the_page_pdf_and_xlsx(client, roster, run):
    # Issue 12 item 7: Phú Thọ's amounts come from the province's news summary, not the text.
    page = get(client, roster, "canbo_xa1", "allowance-run", run.pk).content.decode()
    assert "(*)" in page and "chưa xác minh: báo chí" in page
    text = " ".join(
        pdf_text(get(client, roster, "canbo_xa1", "allowance-pdf", run.pk).content).split()
    )
    assert "(*) Số tiền tính theo giá trị chưa xác minh từ văn bản gốc" in text
    assert (
        "«Mức hỗ trợ hằng tháng Tổ trưởng» của Tỉnh Phú Thọ = 1.100.000 đ "
        "(từ 01/07/2024; chưa xác minh: báo chí)"
    ) in text
    response = get(client, roster, "canbo_xa1", "allowance-xlsx", run.pk)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(r[1] and str(r[1]).startswith("(*) Tính theo giá trị chưa xác minh") for r in rows)


def test_lines_from_the_text_carry_no_mark(client, roster):
    Parameter.objects.filter(jurisdiction="25").update(source="resolution")
    verified_run = services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=AUG, actor=roster.users["canbo_xa1"]
    )
    page = get(client, roster, "canbo_xa1", "allowance-run", verified_run.pk).content.decode()
    assert "(*)" not in page
    text = pdf_text(get(client, roster, "canbo_xa1", "allowance-pdf", verified_run.pk).content)
    assert "(*)" not in text
