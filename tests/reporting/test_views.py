"""Reporting pages: who may see and do what, the documents, bounded queries.

Dates: the pages use today's date, and the personas' legacy units (Tiên Kiên, Lâm Thao, old Phú
Thọ) ended on 30/06/2025, so every period used here is long past its deadline and locked unless
a lock exception is granted (which is what the unlock tests exercise).
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting import selectors, services
from reporting.models import DocumentJob, LockException, Report, ReportState, TrainingCourse
from reporting.periods import Period
from tests.builders import sign_in
from tests.pdf_tools import pdf_text

pytestmark = pytest.mark.usefixtures("one_layout_per_html")  # tests/conftest.py
D = datetime.date
AUG = Period.monthly(2024, 8)
PERIOD_ARGS = ("thang", "2024-08")
NUMBERS = {
    "reports_passed_on": 0,
    "patrols": 0,
    "violations_found": 1,
    "weapons_recovered": 0,
    "fire_rescue": 0,
}


def url(name, *args):
    return reverse(name, args=args)


def as_user(client, roster, user):
    sign_in(client, roster.users[user])
    return client


@pytest.fixture
def course(roster):
    return TrainingCourse.objects.create(
        commune=roster.units["tien_kien"],
        name="Huấn luyện nghiệp vụ đợt 1",
        organiser="Công an huyện Lâm Thao",
        start_date=D(2024, 8, 1),
        end_date=D(2024, 8, 3),
        created_by=roster.users["canbo_xa1"],
    )


# --- ownership: the wrong persona gets 404 on every view --------------------------------------

COMMUNE_VIEWS = [
    ("unit-reports", ()),
    ("report-detail", PERIOD_ARGS),
    ("report-pdf", PERIOD_ARGS),
    ("report-xlsx", PERIOD_ARGS),
    ("training", ()),
]


@pytest.mark.parametrize(("name", "extra"), COMMUNE_VIEWS)
@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("canbo_xa1", 200),
        ("congan_huyen", 200),
        ("congan_tinh", 200),
        ("canbo_xa2", 404),
        ("taichinh_khac", 404),
        ("canbo_ct", 404),
        ("no_role", 404),
    ],
)
def test_commune_report_pages_check_ownership(client, roster, name, extra, user, status):
    response = as_user(client, roster, user).get(url(name, roster.units["tien_kien"].pk, *extra))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("report-save", PERIOD_ARGS),
        ("report-transition", PERIOD_ARGS),
        ("report-unlock", PERIOD_ARGS),
        ("report-annex", PERIOD_ARGS),
    ],
)
@pytest.mark.parametrize("user", ["canbo_xa2", "taichinh_khac", "canbo_ct", "no_role"])
def test_commune_report_actions_check_ownership(client, roster, name, extra, user):
    response = as_user(client, roster, user).post(
        url(name, roster.units["tien_kien"].pk, *extra),
        {"action": "submit", "reason": "x", "until": "01/12/2026"},
    )
    assert response.status_code == 404
    assert not Report.objects.exists() and not LockException.objects.exists()
    assert not DocumentJob.objects.exists()


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("congan_huyen", 200),
        ("congan_tinh", 200),
        ("canbo_xa1", 404),  # a commune has no dashboard of its own...
        ("taichinh_khac", 404),  # ...and Thanh Ba's finance officer does not see Lâm Thao
        ("canbo_ct", 404),
        ("no_role", 404),
    ],
)
def test_dashboard_checks_ownership(client, roster, user, status):
    response = as_user(client, roster, user).get(
        url("report-dashboard", roster.units["lam_thao"].pk), {"ky": "2024-08"}
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("user", "status"),
    [("canbo_xa1", 200), ("congan_huyen", 200), ("canbo_xa2", 404), ("canbo_ct", 404)],
)
def test_training_course_checks_ownership(client, roster, course, user, status):
    response = as_user(client, roster, user).get(url("training-course", course.pk))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("user", "status"),
    [("canbo_xa1", 200), ("congan_tinh", 200), ("canbo_xa2", 404), ("canbo_ct", 404)],
)
def test_team_equipment_checks_ownership(client, roster, user, status):
    response = as_user(client, roster, user).get(url("team-equipment", roster.teams["tk1"].pk))
    assert response.status_code == status


def test_a_document_job_is_its_requesters_only(client, roster):
    job = DocumentJob.objects.create(
        requested_by=roster.users["congan_huyen"],
        unit=roster.units["lam_thao"],
        kind=AUG.kind,
        period=AUG.key,
        document="annex",
    )
    for name in ("document-job", "document-download"):
        for user in ("congan_tinh", "canbo_xa1", "canbo_xa2"):
            assert as_user(client, roster, user).get(url(name, job.pk)).status_code == 404
    mine = as_user(client, roster, "congan_huyen")
    page = mine.get(url("document-job", job.pk))
    assert page.status_code == 200
    # The period as the officer reads it, not its key ("2024-08").
    assert "— Huyện Lâm Thao (cũ), tháng 08/2024</h1>" in page.content.decode()
    # Not finished yet: nothing to download.
    assert mine.get(url("document-download", job.pk)).status_code == 404


def test_reports_home_of_a_role_that_does_not_report_says_so(client, roster):
    from teams.models import Role
    from tests.builders import make_user

    my_tu = roster.units["my_tu"]
    leader = make_user("lanhdao_ct", (Role.COMMUNE_LEADER, my_tu))
    sign_in(client, leader)
    page = client.get(url("reports-home")).content.decode()
    # Assigned to Mỹ Tú: not "no unit assigned", and the unit's reports can still be read.
    assert "Tài khoản chưa được phân công đơn vị nào." not in page
    assert "Vai trò của bạn không lập và không tổng hợp báo cáo định kỳ" in page
    assert client.get(url("unit-reports", my_tu.pk)).status_code == 200
    sign_in(client, roster.users["no_role"])
    assert (
        "Tài khoản chưa được phân công đơn vị nào."
        in client.get(url("reports-home")).content.decode()
    )


def test_bad_periods_are_404_with_nothing_written(client, roster):
    c = as_user(client, roster, "canbo_xa1")
    pk = roster.units["tien_kien"].pk
    for kind, key in [
        ("thang", "2024-13"),
        ("nam", "2024-08"),
        ("tuan", "2024-08"),
        ("thang", "2026-01"),
    ]:  # Tiên Kiên no longer exists in 2026
        assert c.get(url("report-detail", pk, kind, key)).status_code == 404
        assert c.post(url("report-save", pk, kind, key), {}).status_code == 404
    assert not Report.objects.exists()


def test_invalid_numbers_write_nothing(client, roster):
    LockException.objects.create(
        unit=roster.units["tien_kien"],
        kind=AUG.kind,
        period=AUG.key,
        reason="Bổ sung số liệu",
        until=timezone.localdate() + datetime.timedelta(days=3),
        granted_by=roster.users["congan_tinh"],
    )
    c = as_user(client, roster, "canbo_xa1")
    response = c.post(
        url("report-save", roster.units["tien_kien"].pk, *PERIOD_ARGS),
        {**NUMBERS, "patrols": -3, "version": 1},
    )
    assert response.status_code == 200
    assert not Report.objects.exists()


# --- what the pages do ------------------------------------------------------------------------


def test_read_only_roles_cannot_write_a_commune_report(client, roster):
    pk = roster.units["tien_kien"].pk
    for user in ("congan_huyen", "taichinh_huyen"):
        response = as_user(client, roster, user).post(
            url("report-save", pk, *PERIOD_ARGS), {"reports_passed_on": 3, "version": 0}
        )
        assert response.status_code == 403
    assert not Report.objects.filter(reports_passed_on=3).exists()


def test_a_locked_report_says_why_and_the_province_can_reopen_it(client, roster):
    pk = roster.units["tien_kien"].pk
    page = as_user(client, roster, "canbo_xa1").get(url("report-detail", pk, *PERIOD_ARGS))
    text = page.content.decode()
    assert "Đã khóa nhập liệu" in text or "khóa" in text
    assert 'name="reports_passed_on"' not in text  # no form on a locked period
    # The district police cannot grant exceptions; the provincial police can, with a reason.
    as_user(client, roster, "congan_huyen").post(
        url("report-unlock", pk, *PERIOD_ARGS), {"reason": "Mất điện", "until": "10/12/2026"}
    )
    assert not LockException.objects.exists()
    response = as_user(client, roster, "congan_tinh").post(
        url("report-unlock", pk, *PERIOD_ARGS),
        {
            "reason": "Xã bị ngập, mất kết nối",
            "until": (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert LockException.objects.get().reason == "Xã bị ngập, mất kết nối"
    page = as_user(client, roster, "canbo_xa1").get(url("report-detail", pk, *PERIOD_ARGS))
    assert 'name="reports_passed_on"' in page.content.decode()


def test_commune_officer_saves_numbers_and_submits_late(client, roster):
    pk = roster.units["tien_kien"].pk
    LockException.objects.create(
        unit=roster.units["tien_kien"],
        kind=AUG.kind,
        period=AUG.key,
        reason="Bổ sung số liệu",
        until=timezone.localdate() + datetime.timedelta(days=3),
        granted_by=roster.users["congan_tinh"],
    )
    c = as_user(client, roster, "canbo_xa1")
    response = c.post(
        url("report-save", pk, *PERIOD_ARGS),
        {**NUMBERS, "reports_passed_on": 4, "patrols": 12, "version": 1},
        follow=True,
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    report = Report.objects.get()
    assert (report.reports_passed_on, report.patrols) == (4, 12)
    c.post(url("report-transition", pk, *PERIOD_ARGS), {"action": "submit", "seen_state": "draft"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.late
    # Sent: nobody edits it any more.
    c.post(
        url("report-save", pk, *PERIOD_ARGS), {"reports_passed_on": 9, "version": report.version}
    )
    report.refresh_from_db()
    assert report.reports_passed_on == 4


def test_report_pdf_and_xlsx_carry_the_computed_contents(client, roster):
    c = as_user(client, roster, "canbo_xa1")
    pk = roster.units["tien_kien"].pk
    pdf = c.get(url("report-pdf", pk, *PERIOD_ARGS))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tiên Kiên" in text
    xlsx = c.get(url("report-xlsx", pk, *PERIOD_ARGS))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = {row[0]: row[-1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert any("thành viên" in str(k).lower() and v == 4 for k, v in values.items()), values


def test_consolidated_report_sums_the_communes(client, roster, django_capture_on_commit_callbacks):
    for commune, user in (("tien_kien", "canbo_xa1"), ("xuan_lung", "canbo_xa2")):
        rep = services.report_get(unit=roster.units[commune], kind=AUG.kind, period=AUG)
        services.report_transition(
            report=rep, action="submit", actor=roster.users[user], today=D(2024, 8, 10)
        )
    c = as_user(client, roster, "congan_huyen")
    consolidation = selectors.consolidation(unit=roster.units["lam_thao"], period=AUG)
    assert consolidation.totals["members"] == 5  # Tiên Kiên 4 + Xuân Lũng 1
    with django_capture_on_commit_callbacks(execute=True):
        response = c.get(url("report-pdf", roster.units["lam_thao"].pk, *PERIOD_ARGS))
    job = DocumentJob.objects.get()  # above one commune: made in the background
    assert response.url == url("document-job", job.pk)
    pdf = c.get(url("document-download", job.pk))
    text = pdf_text(pdf.content)
    assert re.search(r"Tổng số thành viên\s+5\n", text)
    assert "Tiên" in text and "Xuân" in text  # names wrap inside the unit column


def test_the_list_of_communes_folds_above_thirty(client, roster, monkeypatch):
    """A province's 148 communes are folded (a phone scrolled 10,000 px); a district's few are
    open."""
    c = as_user(client, roster, "congan_huyen")
    page = url("report-detail", roster.units["lam_thao"].pk, *PERIOD_ARGS)
    assert '<details class="fold" open>' in c.get(page).content.decode()
    real = selectors.consolidation

    def many(**kwargs):
        consolidation = real(**kwargs)
        consolidation.rows = consolidation.rows * 16
        return consolidation

    monkeypatch.setattr(selectors, "consolidation", many)
    html = c.get(page).content.decode()
    assert '<details class="fold">' in html and "bấm để xem từng xã" in html


def test_annex_is_made_in_the_background_and_downloaded(
    client, roster, django_capture_on_commit_callbacks
):
    c = as_user(client, roster, "congan_huyen")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(url("report-annex", roster.units["lam_thao"].pk, *PERIOD_ARGS))
    job = DocumentJob.objects.get()
    assert response.url == url("document-job", job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error  # the test backend runs it at once
    download = c.get(url("document-download", job.pk))
    text = pdf_text(download.content)
    assert "Nguyễn Văn An" in text and "Hoàng Văn Em" in text


def test_training_results_need_the_commune_officer(client, roster, course):
    an = roster.members["an"]
    data = {f"ket-qua-{an.pk}": "passed"}
    assert (
        as_user(client, roster, "congan_huyen")
        .post(url("training-course", course.pk), data)
        .status_code
        == 403
    )
    assert not course.results.exists()
    as_user(client, roster, "canbo_xa1").post(url("training-course", course.pk), data)
    assert course.results.get().membership == an


def test_dashboard_queries_are_bounded(client, roster, django_assert_max_num_queries):
    c = as_user(client, roster, "congan_tinh")
    with django_assert_max_num_queries(60):
        response = c.get(url("report-dashboard", roster.units["pt"].pk), {"ky": "2024-08"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and "Tiên Kiên" in text


@pytest.mark.parametrize(
    ("start", "end"), [("01/01/0001", "02/01/0001"), ("01/06/2025", "31/12/9999")]
)
def test_a_course_with_implausible_dates_is_refused(client, roster, start, end):
    before = TrainingCourse.objects.count()
    data = {"name": "Lớp mới", "organiser": "Công an", "start_date": start, "end_date": end}
    response = as_user(client, roster, "canbo_xa1").post(
        url("training", roster.units["tien_kien"].pk), data
    )
    assert response.status_code == 200
    assert "không hợp lý: nhập ngày từ 01/01/1900 đến 31/12/2100" in response.content.decode()
    assert TrainingCourse.objects.count() == before


def test_a_refused_save_or_submission_on_a_locked_report_writes_no_row(client, roster):
    """The period is locked (no exception): saving and sending are refused with the reason,
    and no empty draft report row is left behind (issue 16 §4)."""
    pk = roster.units["tien_kien"].pk
    c = as_user(client, roster, "canbo_xa1")
    response = c.post(url("report-save", pk, *PERIOD_ARGS), {**NUMBERS, "version": 1})
    assert response.status_code == 200
    assert "khóa" in response.content.decode()
    response = c.post(
        url("report-transition", pk, *PERIOD_ARGS),
        {"action": "submit", "seen_state": "draft"},
        follow=True,
    )
    assert response.status_code == 200 and "khóa" in response.content.decode()
    assert not Report.objects.exists()
    assert not Report.history.exists()


def test_an_allowed_first_save_creates_the_report_once(client, roster):
    LockException.objects.create(
        unit=roster.units["tien_kien"],
        kind=AUG.kind,
        period=AUG.key,
        reason="Bổ sung số liệu",
        until=timezone.localdate() + datetime.timedelta(days=3),
        granted_by=roster.users["congan_tinh"],
    )
    c = as_user(client, roster, "canbo_xa1")
    c.post(
        url("report-save", roster.units["tien_kien"].pk, *PERIOD_ARGS), {**NUMBERS, "version": 1}
    )
    report = Report.objects.get()
    assert (report.violations_found, report.version) == (1, 2)


def test_annual_report_page_and_pdf_name_equipment_and_reconcile(client, roster):
    """Issue 12.10: the page shows "Gậy cao su", not "rubber_baton", and each line reconciles
    (required − held = need − surplus) where one team lacks chairs and another has spare."""
    from reporting.models import EquipmentHolding

    tk1, tk2 = roster.teams["tk1"], roster.teams["tk2"]
    EquipmentHolding.objects.create(
        team=tk1, item="chair", quantity=9, updated_by=roster.users["canbo_xa1"]
    )
    EquipmentHolding.objects.create(
        team=tk2, item="chair", quantity=0, updated_by=roster.users["canbo_xa1"]
    )
    pk = roster.units["tien_kien"].pk
    c = as_user(client, roster, "canbo_xa1")
    text = c.get(url("report-detail", pk, "nam", "2024")).content.decode()
    assert "Gậy cao su" in text and "Ghế" in text
    assert "rubber_baton" not in text and "stab_vest" not in text and "cabinet" not in text
    assert "Đèn pin" not in text  # Phú Thọ's resolution has no flashlights (Kon Tum's has)
    lines = {
        line.item: line
        for line in selectors.equipment_lines(
            selectors.live_contents(
                services.report_get(
                    unit=roster.units["tien_kien"],
                    kind=Period.annual(2024).kind,
                    period=Period.annual(2024),
                )
            )
        )
    }
    chair = lines["chair"]
    assert chair.label == "Ghế"
    assert chair.required - chair.held == chair.need - chair.surplus
    assert chair.surplus > 0 and chair.need > 0
    response = c.get(url("report-pdf", pk, "nam", "2024"))
    pdf = pdf_text(response.content)
    assert "Gậy cao su" in pdf and "Tủ đựng tài liệu" in pdf and "rubber_baton" not in pdf


def test_equipment_lines_of_old_contents_get_their_surplus():
    lines = selectors.equipment_lines(
        {
            "equipment": {
                "chair": {"required": 27, "held": 31, "need": 3},
                "gone": {"required": 1, "held": 0, "need": 1},
            }
        }
    )
    assert [(line.label, line.surplus) for line in lines] == [("Ghế", 7), ("gone", 0)]


def test_every_quantity_on_the_equipment_page_has_a_label(client, roster):
    """Issue 16 §5: the quantity inputs sit in a table whose header says "Hiện có"; each still
    needs its own label for screen readers (WCAG 1.3.1, 4.1.2)."""
    from html.parser import HTMLParser

    class Inputs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.numbers, self.labels = [], {}
            self._for = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("type") == "number":
                self.numbers.append(a.get("id"))
            if tag == "label":
                self._for = a.get("for")
                self.labels[self._for] = ""

        def handle_data(self, data):
            if self._for is not None:
                self.labels[self._for] += data

        def handle_endtag(self, tag):
            if tag == "label":
                self._for = None

    page = Inputs()
    response = as_user(client, roster, "canbo_xa1").get(
        url("team-equipment", roster.teams["tk1"].pk)
    )
    page.feed(response.content.decode())
    assert len(page.numbers) >= 8  # the national items (Kon Tum adds its torch and whistle)
    for input_id in page.numbers:
        assert input_id and page.labels.get(input_id, "").startswith("Hiện có: "), input_id


def test_the_locked_province_report_points_to_an_administrator(client, roster):
    """Issue 16 §5: the provincial police were told to ask the provincial police. They cannot
    lift their own deadline; the page says who can, and offers it to that person only."""
    pk = roster.units["pt"].pk
    police = as_user(client, roster, "congan_tinh").get(url("report-detail", pk, *PERIOD_ARGS))
    text = " ".join(police.content.decode().split())
    assert "đề nghị quản trị viên hệ thống mở lại nếu cần" in text
    assert "đề nghị Công an tỉnh" not in text
    assert url("report-unlock", pk, *PERIOD_ARGS) not in text
    admin = as_user(client, roster, "admin").get(url("report-detail", pk, *PERIOD_ARGS))
    assert url("report-unlock", pk, *PERIOD_ARGS) in admin.content.decode()
