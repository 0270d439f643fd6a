"""Run computation on plain facts: partial months, duty, errors, one engine call per case."""

import datetime

import pytest

from allowances.compute import LineKind, MemberMonth, active_days, compute_lines
from rules.base import DutyKind, MemberFacts, TeamRole
from rules.parameters import fixture_table

AUG = datetime.date(2024, 8, 1)
JULY_1 = datetime.date(2024, 7, 1)
D = datetime.date


@pytest.fixture(scope="module")
def params():
    return fixture_table()


def member(pk, role="to_vien", start=JULY_1, end=None, jurisdiction="25", duty=(), **facts):
    return MemberMonth(pk, jurisdiction, MemberFacts(TeamRole(role), **facts), start, end, duty)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2024, 7, 1), None, 31),
        (D(2024, 8, 1), None, 31),
        (D(2024, 8, 31), None, 1),
        (D(2024, 8, 22), None, 10),
        (D(2024, 7, 1), D(2024, 8, 1), 1),
        (D(2024, 7, 1), D(2024, 7, 31), 0),
        (D(2024, 9, 1), None, 0),
    ],
)
def test_active_days(start, end, days):
    assert active_days(start, end, AUG) == days


def test_full_month_members_share_one_engine_call(params):
    members = [member(i) for i in range(50)] + [member(100 + i, "to_truong") for i in range(5)]
    run = compute_lines(members, month=AUG, params=params)
    assert [line.amount for line in run.lines[:2]] == [1_000_000, 1_000_000]
    assert sum(line.amount for line in run.lines) == 50 * 1_000_000 + 5 * 1_100_000
    assert run.engine_calls == 2


def test_partial_month_is_pro_rata_by_default(params):
    run = compute_lines([member(1, "to_truong", start=D(2024, 8, 22))], month=AUG, params=params)
    line = run.lines[0]
    assert (line.active_days, line.days_in_month) == (10, 31)
    assert line.amount == 354_839  # 1,100,000 × 10 / 31 = 354,838.7… → nearest đồng
    assert "mặc định" in line.result.trace[-1].formula or "mặc định" in line.result.trace[-1].label


def test_members_not_serving_that_month_get_no_line(params):
    run = compute_lines(
        [member(1, end=D(2024, 7, 31)), member(2, start=D(2024, 9, 1))], month=AUG, params=params
    )
    assert run.lines == []


def test_duty_days_make_a_second_line(params):
    hai_duong = member(
        7,
        jurisdiction="30",
        start=D(2024, 12, 1),
        duty=tuple((D(2025, 1, d), DutyKind.DAY, 1) for d in range(1, 10)),
    )
    run = compute_lines([hai_duong], month=D(2025, 1, 1), params=params)
    duty = [line for line in run.lines if line.kind == LineKind.DUTY]
    assert duty and duty[0].amount == 7 * 50_000  # capped at 7 days a month


def test_a_rule_error_is_a_line_with_the_message_not_a_crash(params):
    run = compute_lines([member(1, jurisdiction="62")], month=AUG, params=params)
    assert run.lines[0].amount == 0
    assert "Chưa có giá trị tham số" in run.lines[0].error
    assert run.errors == run.lines
