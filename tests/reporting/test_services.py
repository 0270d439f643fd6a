"""Reports: contents from the data, deadlines and locks, submission upward, consolidation.

The `roster` fixture: Tiên Kiên has 2 teams (quotas 3 and 4) and 4 members from 15/07/2024 (An
and Dũng Tổ trưởng, Bình Tổ phó, Châu Tổ viên); Xuân Lũng has 1 team with Em (Tổ trưởng).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from allowances import services as allowance_services
from reporting import selectors, services
from reporting.contents import add
from reporting.models import LockException, Report, ReportState, TrainingCourse, TrainingResult
from reporting.periods import Period, PeriodKind

D = datetime.date
AUG_10 = D(2024, 8, 10)
AUG = Period.monthly(2024, 8)  # window 15/07/2024 – 14/08/2024, due 14/08, locks 25/08


def report(roster, unit="tien_kien", period=AUG):
    return services.report_get(unit=roster.units[unit], kind=period.kind, period=period)


def submit(roster, rep, user="canbo_xa1", day=AUG_10):
    return services.report_transition(
        report=rep, action="submit", actor=roster.users[user], today=day
    )


def test_commune_contents_come_from_the_data(roster):
    contents = selectors.live_contents(report(roster))
    assert (contents["teams"], contents["members"]) == (2, 4)
    assert (contents["to_truong"], contents["to_pho"], contents["to_vien"]) == (2, 1, 1)
    assert (contents["quota"], contents["quota_unknown"]) == (7, 0)
    assert contents["joiners"] == 4  # all started on 15/07, the first day of the window
    july = selectors.live_contents(report(roster, period=Period.monthly(2024, 7)))
    assert july["members"] == 0 and july["joiners"] == 0


def test_leavers_are_counted_by_their_art_17_ground(roster):
    chau = roster.members["chau"]
    chau.end_date, chau.end_ground = D(2024, 8, 5), "a"
    chau.save()
    contents = selectors.live_contents(report(roster))
    assert (contents["leavers"], contents["leavers_a"], contents["members"]) == (1, 1, 3)


def test_training_passed_in_the_window_counts(roster):
    course = TrainingCourse.objects.create(
        commune=roster.units["tien_kien"],
        name="Huấn luyện nghiệp vụ đợt 1",
        organiser="Công an huyện Lâm Thao",
        start_date=D(2024, 8, 1),
        end_date=D(2024, 8, 3),
        created_by=roster.users["canbo_xa1"],
    )
    TrainingResult.objects.create(course=course, membership=roster.members["an"], outcome="passed")
    TrainingResult.objects.create(
        course=course, membership=roster.members["chau"], outcome="absent"
    )
    assert selectors.live_contents(report(roster))["trained"] == 1


def test_allowances_are_those_approved_in_the_window(roster):
    run = allowance_services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=D(2024, 7, 1), actor=roster.users["canbo_xa1"]
    )
    allowance_services.allowance_run_transition(
        run=run, action="submit", actor=roster.users["canbo_xa1"]
    )
    allowance_services.allowance_run_transition(
        run=run, action="approve", actor=roster.users["taichinh_huyen"]
    )
    run.approved_at = timezone.make_aware(datetime.datetime(2024, 8, 5, 9))
    run.save()
    contents = selectors.live_contents(report(roster))
    assert contents["allowance_people"] == 4
    assert contents["allowance_total"] == sum(run.lines.values_list("amount", flat=True))
    assert (
        selectors.live_contents(report(roster, period=Period.monthly(2024, 9)))["allowance_total"]
        == 0
    )


@pytest.mark.parametrize(
    ("day", "is_open", "words"),
    [
        (D(2024, 8, 14), True, "Hạn gửi: hết ngày 14/08/2024"),
        (D(2024, 8, 24), True, "Hạn gửi"),
        (D(2024, 8, 25), False, "khóa từ ngày 25/08/2024"),
    ],
)
def test_entry_locks_after_the_deadline(roster, day, is_open, words):
    status = selectors.entry_status(report(roster), day)
    assert status.open is is_open and words in status.reason


def test_submitting_on_the_14th_is_on_time_on_the_15th_late(roster):
    on_time = submit(roster, report(roster), day=D(2024, 8, 14))
    assert not on_time.late
    late = submit(roster, report(roster, "xuan_lung"), "canbo_xa2", D(2024, 8, 15))
    assert late.late


def test_a_locked_report_cannot_be_edited_or_sent(roster):
    rep = report(roster)
    with pytest.raises(ValidationError, match="quá hạn"):
        services.report_update_manual(
            report=rep,
            values={"patrols": 3},
            version=rep.version,
            actor=roster.users["canbo_xa1"],
            today=D(2024, 9, 1),
        )
    with pytest.raises(ValidationError, match="quá hạn"):
        submit(roster, rep, day=D(2024, 9, 1))
    assert Report.objects.get().state == ReportState.DRAFT


def test_a_provincial_exception_reopens_one_unit_until_a_day(roster):
    rep = report(roster)
    with pytest.raises(PermissionDenied):
        services.lock_exception_grant(
            unit=rep.unit,
            kind="monthly",
            period=AUG,
            reason="x",
            until=D(2024, 9, 5),
            actor=roster.users["congan_huyen"],
            today=D(2024, 9, 1),
        )
    with pytest.raises(ValidationError, match="lý do"):
        services.lock_exception_grant(
            unit=rep.unit,
            kind="monthly",
            period=AUG,
            reason=" ",
            until=D(2024, 9, 5),
            actor=roster.users["congan_tinh"],
            today=D(2024, 9, 1),
        )
    services.lock_exception_grant(
        unit=rep.unit,
        kind="monthly",
        period=AUG,
        reason="Cán bộ nghỉ ốm",
        until=D(2024, 9, 5),
        actor=roster.users["congan_tinh"],
        today=D(2024, 9, 1),
    )
    assert selectors.entry_status(rep, D(2024, 9, 5)).open
    assert "Cán bộ nghỉ ốm" in selectors.entry_status(rep, D(2024, 9, 5)).reason
    expired = selectors.entry_status(rep, D(2024, 9, 6))
    assert not expired.open and "hết ngày 05/09/2024" in expired.reason
    other = selectors.entry_status(report(roster, "xuan_lung"), D(2024, 9, 2))
    assert not other.open  # one unit only


def test_submitting_freezes_the_content(roster):
    rep = submit(roster, report(roster))
    assert rep.contents["members"] == 4
    roster.members["chau"].end_date, roster.members["chau"].end_ground = D(2024, 8, 1), "a"
    roster.members["chau"].save()
    assert selectors.live_contents(Report.objects.get(pk=rep.pk))["members"] == 4


def test_review_is_for_the_level_above(roster):
    rep = submit(roster, report(roster))
    for user in ["canbo_xa1", "taichinh_huyen"]:
        with pytest.raises(PermissionDenied):
            services.report_transition(report=rep, action="accept", actor=roster.users[user])
    with pytest.raises(ValidationError, match="lý do"):
        services.report_transition(report=rep, action="return", actor=roster.users["congan_huyen"])
    services.report_transition(
        report=rep,
        action="return",
        comment="Thiếu số lượt tuần tra",
        actor=roster.users["congan_huyen"],
    )
    assert selectors.entry_status(rep, D(2024, 9, 30)).open  # a returned report reopens
    services.report_transition(
        report=rep, action="submit", actor=roster.users["canbo_xa1"], today=D(2024, 9, 30)
    )
    services.report_transition(report=rep, action="accept", actor=roster.users["congan_huyen"])
    assert Report.objects.get(pk=rep.pk).state == ReportState.ACCEPTED
    # Every state change in the history names who made it, with no request around (the
    # services called directly, as a command or the task worker would).
    changes = Report.history.filter(id=rep.pk).order_by("history_id")
    states = [(h.state, h.history_user and h.history_user.username) for h in changes]
    assert states == [
        ("draft", None),  # created by `report_get`, which anyone reading the page may call
        ("submitted", "canbo_xa1"),  # the state
        ("submitted", "canbo_xa1"),  # the frozen contents
        ("returned", "congan_huyen"),
        ("submitted", "canbo_xa1"),
        ("submitted", "canbo_xa1"),
        ("accepted", "congan_huyen"),
    ]


def test_district_police_cannot_accept_their_own_report(roster):
    district = report(roster, "lam_thao")
    services.report_transition(
        report=district, action="submit", actor=roster.users["congan_huyen"], today=D(2024, 8, 10)
    )
    with pytest.raises(PermissionDenied):
        services.report_transition(
            report=district, action="accept", actor=roster.users["congan_huyen"]
        )
    services.report_transition(report=district, action="accept", actor=roster.users["congan_tinh"])


def test_totals_at_each_level_are_the_sum_of_the_level_below(roster):
    a = report(roster)
    services.report_update_manual(
        report=a,
        values={"patrols": 12},
        version=a.version,
        actor=roster.users["canbo_xa1"],
        today=D(2024, 8, 10),
    )
    a = submit(roster, Report.objects.get(pk=a.pk))
    b = submit(roster, report(roster, "xuan_lung"), "canbo_xa2")
    district = services.report_transition(
        report=report(roster, "lam_thao"),
        action="submit",
        actor=roster.users["congan_huyen"],
        today=D(2024, 8, 12),
    )
    assert district.contents == add(a.contents, b.contents)
    assert district.contents["patrols"] == 12 and district.contents["units"] == 2
    province = selectors.consolidation(unit=roster.units["pt"], period=AUG)
    assert province.expected == 4 and province.received == 2
    groups = province.subtotals()
    total = {}
    for _parent, _rows, sub in groups:
        total = add(total, sub)
    assert total == province.totals
    lam_thao = next(sub for parent, _rows, sub in groups if parent == roster.units["lam_thao"])
    assert lam_thao == district.contents


def test_periods_follow_the_units_life(roster):
    old = selectors.periods_for(roster.units["tien_kien"], PeriodKind.MONTHLY, D(2026, 11, 23))
    # The report of 15/06 – 14/07/2025 belongs to the successor (tests/carryover).
    assert old[0].key == "2025-06" and old[-1].key == "2024-07"
    new = selectors.periods_for(roster.units["my_tu"], PeriodKind.MONTHLY, D(2026, 11, 23))
    assert new[0].key == "2026-12" and new[-1].key == "2025-07"
    annual = selectors.periods_for(roster.units["my_tu"], PeriodKind.ANNUAL, D(2026, 11, 23))
    assert [p.key for p in annual] == ["2026", "2025"]


def test_two_people_typing_numbers_at_once(roster):
    from teams.services import EditConflict

    rep = report(roster)
    version = rep.version
    services.report_update_manual(
        report=rep,
        values={"patrols": 5},
        version=version,
        actor=roster.users["canbo_xa1"],
        today=D(2024, 8, 10),
    )
    with pytest.raises(EditConflict):
        services.report_update_manual(
            report=Report.objects.get(pk=rep.pk),
            values={"patrols": 7},
            version=version,
            actor=roster.users["canbo_xa1"],
            today=D(2024, 8, 10),
        )
    assert Report.objects.get(pk=rep.pk).patrols == 5
    assert LockException.objects.count() == 0


def test_a_locked_report_names_who_can_really_reopen_it(roster):
    """Issue 16 §5: the locked provincial report told the provincial police to ask the
    provincial police. The message names the reopener the access rule allows, from the tree."""
    commune = selectors.entry_status(report(roster), D(2024, 9, 1))
    assert not commune.open and "đề nghị Công an Tỉnh Phú Thọ mở lại" in commune.reason
    district = services.report_get(unit=roster.units["lam_thao"], kind="monthly", period=AUG)
    assert (
        "đề nghị Công an Tỉnh Phú Thọ mở lại"
        in selectors.entry_status(district, D(2024, 9, 1)).reason
    )
    province_unit = roster.units["pt"]
    province = services.report_get(unit=province_unit, kind="monthly", period=AUG)
    locked = selectors.entry_status(province, D(2024, 9, 1))
    assert "đề nghị quản trị viên hệ thống mở lại" in locked.reason
    assert "Công an" not in locked.reason

    grant = dict(
        unit=province_unit, kind="monthly", period=AUG, reason="Bổ sung số liệu",
        until=D(2024, 9, 5), today=D(2024, 9, 1),
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="Chỉ quản trị viên hệ thống"):
        services.lock_exception_grant(**grant, actor=roster.users["congan_tinh"])
    services.lock_exception_grant(**grant, actor=roster.users["admin"])
    assert selectors.entry_status(province, D(2024, 9, 5)).open
