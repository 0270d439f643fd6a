"""The work inbox ("Việc cần làm"): each role sees what waits for it, in its own units only,
with a bounded number of queries; the header count and the reminder e-mails use the same list.

The `roster` fixture: Tiên Kiên (legacy tree, Lâm Thao district) has 4 members from 15/07/2024,
Xuân Lũng 1; `taichinh_huyen` is Lâm Thao's finance officer, `taichinh_khac` Thanh Ba's.
"""

import contextlib
import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from allowances import services as allowance_services
from allowances.models import AllowanceRun, RunState
from core.inbox import work_for
from reporting import services as report_services
from reporting.periods import Period, PeriodKind
from teams.models import Assignment, Role, RosterImport, Tree, User
from tests.builders import make_unit, make_user, sign_in
from workspace.reminders import digests_due

D = datetime.date
SEP_3 = D(2024, 9, 3)  # monthly report of 09/2024 due 14/09; annual 2024 due 14/12


def titles(user, today=SEP_3):
    return [(str(i.title), i.unit_name, str(i.action)) for i in work_for(user, today).items]


SEPTEMBER = D(2024, 9, 1)
SEPTEMBER_RUN = "Bảng phụ cấp tháng 09/2024"


def compute(roster, commune="tien_kien", month=SEPTEMBER, user="canbo_xa1"):
    return allowance_services.allowance_run_compute(
        commune=roster.units[commune], month=month, actor=roster.users[user], today=SEP_3
    )


def step(roster, run, action, user, **extra):
    return allowance_services.allowance_run_transition(
        run=run, action=action, actor=roster.users[user], **extra
    )


def test_a_commune_officer_sees_the_month_to_compute_and_the_reports_due(roster):
    items = work_for(roster.users["canbo_xa1"], SEP_3).items
    shown = [(str(i.title), i.unit_name) for i in items]
    assert ("Bảng phụ cấp tháng 09/2024", "Xã Tiên Kiên") in shown
    assert ("Tháng 09/2024", "Xã Tiên Kiên") in shown
    assert ("Năm 2024", "Xã Tiên Kiên") in shown
    # oldest first: the monthly report (due 14/09) before the annual one (due 14/12)
    due = [i.due for i in items if i.due]
    assert due == sorted(due)
    report = next(i for i in items if str(i.title) == "Tháng 09/2024")
    assert report.due == D(2024, 9, 14) and not report.late and "Còn 11 ngày" in str(report.note)
    # nothing of Xuân Lũng (another commune)
    assert all(i.unit_name == "Xã Tiên Kiên" for i in items)


def test_a_run_moves_from_one_inbox_to_the_next(roster):
    run = compute(roster)
    assert ("Bảng phụ cấp tháng 09/2024", "Xã Tiên Kiên", "Gửi duyệt") in titles(
        roster.users["canbo_xa1"]
    )
    assert not [t for t in titles(roster.users["taichinh_huyen"]) if t[0] == SEPTEMBER_RUN]

    step(roster, run, "submit", "canbo_xa1")
    assert not [t for t in titles(roster.users["canbo_xa1"]) if t[0] == SEPTEMBER_RUN]
    assert ("Bảng phụ cấp tháng 09/2024", "Xã Tiên Kiên", "Phê duyệt / Trả lại") in titles(
        roster.users["taichinh_huyen"]
    )
    assert titles(roster.users["taichinh_khac"]) == []  # another district's finance

    step(roster, run, "return", "taichinh_huyen", comment="Sai số ngày làm nhiệm vụ")
    returned = next(
        i for i in work_for(roster.users["canbo_xa1"], SEP_3).items if str(i.title) == SEPTEMBER_RUN
    )
    assert str(returned.note) == "Bị trả lại: Sai số ngày làm nhiệm vụ"
    assert returned.url == reverse("allowance-run", args=[run.pk])


def test_an_approved_run_waits_for_payment_and_a_paid_one_for_nobody(roster):
    run = compute(roster)
    step(roster, run, "submit", "canbo_xa1")
    step(roster, run, "approve", "taichinh_huyen")
    assert ("Bảng phụ cấp tháng 09/2024", "Xã Tiên Kiên", "Xác nhận đã chi trả") in titles(
        roster.users["canbo_xa1"]
    )
    step(roster, run, "pay", "canbo_xa1", payment_reference="PC 09/2024", paid_on=SEP_3)
    assert AllowanceRun.objects.get(pk=run.pk).state == RunState.PAID
    for user in ("canbo_xa1", "taichinh_huyen"):
        assert not [t for t in titles(roster.users[user]) if t[0] == SEPTEMBER_RUN]


def test_earlier_months_with_members_and_no_run_are_one_item_due_with_the_oldest(
    roster, django_assert_max_num_queries
):
    """Tiên Kiên's members serve from 15/07/2024; on 03/09 July and August have no run. A
    commune whose members all ended earlier, or a month that has a run, is not listed."""
    from allowances.inbox import earlier_months_to_compute

    officer = roster.users["canbo_xa1"]
    with django_assert_max_num_queries(4):
        (item,) = earlier_months_to_compute(officer, SEP_3)
    assert str(item.title) == "Bảng phụ cấp 2 tháng chưa lập (07/2024 – 08/2024)"
    assert (item.unit_name, item.due, item.late) == ("Xã Tiên Kiên", D(2024, 7, 31), True)
    assert item.url == reverse("allowance-runs", args=[roster.units["tien_kien"].pk])
    compute(roster, month=D(2024, 7, 1))
    (item,) = earlier_months_to_compute(officer, SEP_3)
    assert str(item.title) == "Bảng phụ cấp 1 tháng chưa lập (08/2024)"
    assert "từ tháng 08/2024" in str(item.note)
    compute(roster, month=D(2024, 8, 1))
    assert earlier_months_to_compute(officer, SEP_3) == []
    assert earlier_months_to_compute(roster.users["taichinh_huyen"], SEP_3) == []  # not theirs


def test_a_sent_report_waits_for_the_police_above_and_leaves_the_sender(roster):
    period = Period.monthly(2024, 9)
    report = report_services.report_get(
        unit=roster.units["tien_kien"], kind=period.kind, period=period
    )
    report_services.report_transition(
        report=report, action="submit", actor=roster.users["canbo_xa1"], today=SEP_3
    )
    assert ("Tháng 09/2024", "Xã Tiên Kiên") not in [
        t[:2] for t in titles(roster.users["canbo_xa1"])
    ]
    for police in ("congan_huyen", "congan_tinh"):
        assert ("Tháng 09/2024", "Xã Tiên Kiên", "Tiếp nhận / Trả lại") in titles(
            roster.users[police]
        )
    report_services.report_transition(
        report=report, action="accept", actor=roster.users["congan_huyen"], today=SEP_3
    )
    assert ("Tháng 09/2024", "Xã Tiên Kiên", "Tiếp nhận / Trả lại") not in titles(
        roster.users["congan_tinh"]
    )


def test_a_late_report_says_how_long_before_entry_locks_and_a_locked_one_is_gone(roster):
    items = work_for(roster.users["canbo_xa1"], D(2024, 9, 20)).items
    late = [i for i in items if i.late and str(i.group) == "Báo cáo định kỳ"]
    assert [(str(i.title), i.due) for i in late] == [("Tháng 09/2024", D(2024, 9, 14))]
    assert "còn 5 ngày trước khi khóa nhập liệu (25/09/2024)" in str(late[0].note)
    # 25/09 entry is locked: the officer cannot send it any more (the police can reopen it)
    assert "Tháng 09/2024" not in [t[0] for t in titles(roster.users["canbo_xa1"], D(2024, 9, 25))]


def test_an_unconfirmed_import_waits_for_its_uploader_only(roster):
    upload = RosterImport.objects.create(
        commune=roster.units["tien_kien"],
        uploaded_by=roster.users["canbo_xa1"],
        file_name="danh-sach.xlsx",
        content=b"",
        report={"errors": []},
    )
    mine = [
        i
        for i in work_for(roster.users["canbo_xa1"], SEP_3).items
        if i.url.endswith(reverse("roster-import-preview", args=[upload.pk]))
    ]
    assert len(mine) == 1 and str(mine[0].action) == "Xác nhận nhập danh sách"
    assert "danh-sach.xlsx" not in str(
        [i.note for i in work_for(roster.users["canbo_xa2"], SEP_3).items]
    )
    # a later upload for the same commune replaces it
    RosterImport.objects.create(
        commune=roster.units["tien_kien"],
        uploaded_by=roster.users["canbo_xa1"],
        file_name="danh-sach-2.xlsx",
        content=b"",
        report={"errors": []},
    )
    notes = [str(i.note) for i in work_for(roster.users["canbo_xa1"], SEP_3).items]
    assert not any("«danh-sach.xlsx»" in n for n in notes)
    assert any("danh-sach-2.xlsx" in n for n in notes)


def test_the_administrator_is_not_given_every_communes_work(roster):
    assert work_for(roster.users["admin"], SEP_3).items == []
    assert work_for(roster.users["no_role"], SEP_3).items == []


def test_funding_lists_follow_the_five_hands(enrolled):
    roster = enrolled
    from insurance import services as insurance_services

    officer = roster.users["canbo_xa1"]
    assert "Danh sách BHXH, BHYT quý 3/2024" in [t[0] for t in titles(officer)]
    funding_list = insurance_services.funding_list_compute(
        commune=roster.units["tien_kien"], quarter=D(2024, 7, 1), actor=officer, today=SEP_3
    )
    insurance_services.funding_list_transition(
        funding_list=funding_list, action="submit", actor=officer, today=SEP_3
    )
    waiting = ("Danh sách BHXH, BHYT quý 3/2024", "Xã Tiên Kiên")
    assert (*waiting, "Xác nhận đã đối chiếu / BHXH trả lại") in titles(roster.users["bhxh_huyen"])
    assert waiting not in [t[:2] for t in titles(roster.users["taichinh_huyen"])]  # not yet
    assert "Danh sách BHXH, BHYT quý 3/2024" not in [t[0] for t in titles(officer)]


@pytest.mark.parametrize("extra_communes", [0, 12])
def test_the_inbox_costs_the_same_queries_for_1_or_13_communes(
    roster, extra_communes, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lam_thao = roster.units["lam_thao"]
    for n in range(extra_communes):
        commune = make_unit(f"09{n:03d}", f"Xã Thử {n}", "xa", parent=lam_thao)
        run = AllowanceRun.objects.create(commune=commune, month=D(2024, 9, 1))
        AllowanceRun.objects.filter(pk=run.pk).update(state=RunState.SUBMITTED)
    user = roster.users["taichinh_huyen"]
    with CaptureQueriesContext(connection) as queries:
        items = work_for(user, SEP_3).items
    assert len(items) == extra_communes
    # assignments + one query per kind of work (runs, months to compute, lists, lists to
    # prepare, incidents, reports to send, reports to accept, imports), whatever the units
    assert len(queries) <= 9, [q["sql"][:80] for q in queries]


def test_home_page_header_count_and_inbox_page(client, roster):
    # Today's tree: Mỹ Tú's officer owes the report of the current period.
    today = datetime.date.today()
    current = Period.containing(PeriodKind.MONTHLY, today).display
    roster.client_for(client, "canbo_ct")
    home = client.get(reverse("home")).content.decode()
    assert 'id="viec-can-lam"' in home and current in home and "Lập và gửi báo cáo" in home
    assert 'data-inbox-count="/viec-can-lam/so-luong/"' in home  # the header badge's source
    # The home list has no group headings: each item names its app ("Tháng 12/2026" alone
    # does not say that it is a report).
    assert '<small class="muted">Báo cáo định kỳ</small><br><a href=' in home
    page = client.get(reverse("inbox")).content.decode()
    assert current in page and "Báo cáo định kỳ" in page
    count = client.get(reverse("inbox-count")).json()
    assert count == {"count": len(work_for(roster.users["canbo_ct"], today)), "late": 0}
    assert count["count"] >= 1
    client.logout()
    assert client.get(reverse("inbox-count")).status_code == 302  # to the login page


def test_home_page_says_when_nothing_waits(client, roster):
    roster.client_for(client, "taichinh_khac")
    assert "Không có việc nào đang chờ bạn." in client.get(reverse("home")).content.decode()


def test_reminder_mails_list_the_same_items_as_the_inbox(roster, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = roster.users["canbo_xa1"]
    officer.email = "hung@example.vn"
    officer.save()
    digests = {d.user.username: d for d in digests_due(today=D(2024, 9, 12), days=3)}
    assert "canbo_xa1" in digests  # the monthly report is due 14/09, in 2 days
    body = digests["canbo_xa1"].body(D(2024, 9, 12))
    for item in work_for(officer, D(2024, 9, 12)).items:
        assert str(item.title) in body and item.url in body
    assert "taichinh_khac" not in digests  # nothing waits for them
    out = io.StringIO()
    call_command("send_work_reminders", "--today", "2024-09-12", stdout=out)
    assert "canbo_xa1 → hung@example.vn" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["hung@example.vn"]]
    assert "việc đang chờ bạn" in mail.outbox[0].subject


@pytest.mark.parametrize("extra_communes", [0, 12])
def test_the_header_count_costs_the_same_queries_for_1_or_13_communes(
    client, roster, extra_communes, django_assert_max_num_queries
):
    """The badge is asked after every page: a commune officer's count costs the same whatever
    the number of their communes and items, and a role asks only the apps where it has work
    (the queries of an empty scope are not even built)."""
    officer = roster.users["canbo_ct"]  # today's tree: the communes exist today
    for n in range(extra_communes):
        commune = make_unit(
            f"9{n:04d}", f"Xã Thử {n}", "xa", parent=roster.units["ct"], tree=Tree.CURRENT
        )
        Assignment.objects.create(user=officer, unit=commune, role=Role.COMMUNE_OFFICER)
        AllowanceRun.objects.create(commune=commune, month=SEPTEMBER)  # a draft to send
    roster.client_for(client, "canbo_ct")
    # session, the user with its assignments, the request's savepoint and its release, the
    # officer's communes, then one query per kind of work (two for the reports to send:
    # reports, lock exceptions)
    with django_assert_max_num_queries(18):
        count = client.get(reverse("inbox-count")).json()["count"]
    assert count >= 1 + 3 * extra_communes  # a run to send, reports to send
    # A query whose scope is empty reaches no database, yet Django builds and compiles it: the
    # compiler's runs count those too.
    make_user("tuphap_tk", (Role.JUSTICE_OFFICER, roster.units["tien_kien"]))
    sign_in(client, User.objects.get(username="tuphap_tk"))
    # Mediation's four kinds of work; the session and the user with its assignments are read
    # by statements compiled once (config.sessions, teams.access.user_with_assignments).
    with compiled() as runs:
        assert client.get(reverse("inbox-count")).json() == {"count": 0, "late": 0}
    assert len(runs) == 4, runs
    roster.client_for(client, "no_role")
    with compiled() as runs:  # no role: no work to look for
        assert client.get(reverse("inbox-count")).json() == {"count": 0, "late": 0}
    assert runs == [], runs


@contextlib.contextmanager
def compiled():
    """The tables of every query that Django's compiler runs, whether it reaches the database
    or not (an empty scope's `pk__in=[]` does not)."""
    from django.db.models.sql.compiler import SQLCompiler

    runs: list[str] = []
    execute_sql = SQLCompiler.execute_sql

    def counting(self, *args, **kwargs):
        runs.append(self.query.model._meta.db_table)
        return execute_sql(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "execute_sql", counting):
        yield runs
