"""Duty stipends in months where a rate, a cap or the rule starts during the month (issue 12
item 2): each unit is paid under the values in force on its day, the caps stay monthly."""

import pytest

from rules import engine
from rules.base import DutyFacts, DutyKind, MissingParameters, RuleError
from tests.rules.helpers import D, with_values

DEC_2024 = D(2024, 12, 1)  # Hải Dương's NQ 30/2024: 50,000 đ a day, 7 days a month, from 21/12


def stipend(params, jurisdiction, month, *days, kind=DutyKind.DAY):
    facts = DutyFacts.from_days((day, kind, 1) for day in days)
    return engine.duty_stipend(jurisdiction=jurisdiction, duty=facts, month=month, params=params)


def test_the_day_before_the_rate_starts_is_not_paid_and_the_trace_says_why(params):
    result = stipend(params, "30", DEC_2024, D(2024, 12, 20))
    assert result.amount == 0
    (unpaid, total) = result.trace
    assert unpaid.label == "Từ 01/12/2024 đến 20/12/2024 · Ngày làm nhiệm vụ"
    assert "mức áp dụng từ 21/12/2024" in unpaid.formula and "không chi" in unpaid.formula
    assert total.value == "0 đ"


def test_the_day_the_rate_starts_is_paid(params):
    result = stipend(params, "30", DEC_2024, D(2024, 12, 21))
    assert result.amount == 50_000
    assert result.trace[0].label == "Từ 21/12/2024 đến 31/12/2024 · Ngày làm nhiệm vụ"
    assert result.trace[0].formula.startswith("1 ngày × 50.000 đ")
    assert [v.key for v in result.parameters] == ["duty.day.rate", "duty.day.max_units"]


def test_hai_duong_december_2024_no_longer_errors(params):
    days = [D(2024, 12, d) for d in (5, 20, 21, 22, 23)]
    assert stipend(params, "30", DEC_2024, *days).amount == 3 * 50_000


def test_the_monthly_cap_bites_only_on_days_under_it(params):
    days = [D(2024, 12, d) for d in (1, 2, 3, *range(21, 30))]  # 3 days before, 9 after
    result = stipend(params, "30", DEC_2024, *days)
    assert result.amount == 7 * 50_000
    assert any("chỉ tính tối đa 7 ngày/tháng" in item.formula for item in result.trace)


@pytest.fixture
def raised(params):
    """A second rate from 16/03/2025 (60,000 đ), the 7-day cap unchanged: March has two runs."""
    return with_values(params, "30", D(2025, 3, 16), {"duty.day.rate": (60_000, "vnd")})


def test_a_month_with_two_rates_pays_each_day_at_its_own(raised):
    days = [D(2025, 3, d) for d in (14, 15, 16, 17)]
    result = stipend(raised, "30", D(2025, 3, 1), *days)
    assert result.amount == 2 * 50_000 + 2 * 60_000
    labels = [item.label for item in result.trace]
    assert "Từ 01/03/2025 đến 15/03/2025 · Ngày làm nhiệm vụ" in labels
    assert "Từ 16/03/2025 đến 31/03/2025 · Ngày làm nhiệm vụ" in labels
    assert {v.value for v in result.parameters if v.key == "duty.day.rate"} == {50_000, 60_000}


def test_an_unchanged_cap_counts_the_whole_month_once(raised):
    """5 days before the change and 5 after: 7 paid in all (5 × 50,000 + 2 × 60,000), not 7 in
    each run."""
    days = [D(2025, 3, d) for d in (*range(1, 6), *range(20, 25))]
    result = stipend(raised, "30", D(2025, 3, 1), *days)
    assert result.amount == 5 * 50_000 + 2 * 60_000
    cap = next(item for item in result.trace if "tối đa 7" in item.formula)
    assert "đã tính 5 ngày trước đó trong tháng" in cap.formula and cap.value == "2"


def test_a_monthly_amount_cap_counts_the_whole_month_once(params):
    """Bạc Liêu: night shifts 50,000 đ, at most 500,000 đ a month; a rate change mid-month."""
    table = with_values(params, "95", D(2025, 3, 16), {"duty.night.rate": (60_000, "vnd")})
    nights = [D(2025, 3, d) for d in (*range(1, 7), *range(20, 26))]  # 6 + 6 nights
    result = stipend(table, "95", D(2025, 3, 1), *nights, kind=DutyKind.NIGHT)
    assert result.amount == 500_000  # 300,000 before, then only 200,000 of the 360,000


def test_undated_units_in_a_month_that_changes_ask_for_the_days(params):
    with pytest.raises(RuleError, match="cần ghi ngày làm nhiệm vụ"):
        engine.duty_stipend(
            jurisdiction="30", duty=DutyFacts({DutyKind.DAY: 3}), month=DEC_2024, params=params
        )


def test_undated_units_are_fine_when_the_change_does_not_touch_them(params):
    """August 2025 splits on 15/08 (HI state support), which duty does not use."""
    result = engine.duty_stipend(
        jurisdiction="30", duty=DutyFacts({DutyKind.DAY: 9}), month=D(2025, 8, 1), params=params
    )
    assert result.amount == 7 * 50_000


def test_a_month_with_no_rate_at_all_is_still_the_missing_parameter_error(params):
    with pytest.raises(MissingParameters):
        stipend(params, "30", D(2024, 11, 1), D(2024, 11, 20))


def test_days_before_the_rule_itself_starts_are_not_paid(params):
    """Cần Thơ's resolution is in force from 15/07/2024 (a night rate entered for the test)."""
    table = with_values(params, "92", D(2024, 7, 15), {"duty.night.rate": (80_000, "vnd")})
    result = stipend(table, "92", D(2024, 7, 1), D(2024, 7, 14), D(2024, 7, 15), kind="night")
    assert result.amount == 80_000
    assert result.trace[0].label == "Từ 01/07/2024 đến 14/07/2024"
    assert "chưa có quy định áp dụng" in result.trace[0].formula


def test_dated_facts_must_agree_with_their_totals():
    with pytest.raises(ValueError):
        DutyFacts({DutyKind.DAY: 2}, ((D(2024, 12, 21), DutyKind.DAY, 1),))
    facts = DutyFacts.from_days([(D(2024, 12, 21), "day", 1), (D(2024, 12, 21), "day", 1)])
    assert facts.units == {DutyKind.DAY: 2}
