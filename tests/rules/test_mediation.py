"""rules.mediation: the law's tests and the plan's targets at their boundaries (no database)."""

import datetime
from fractions import Fraction

import pytest

from rules import mediation as m
from rules.base import MissingParameters, RuleError
from rules.parameters import ParameterValue, Unit, fixture_table

D = datetime.date


def test_five_working_days_skip_the_weekend():
    # Friday 6 Dec 2024 + 5 working days = Friday 13 Dec
    assert m.decision_deadline(D(2024, 12, 6)) == D(2024, 12, 13)
    assert not m.decision_late(D(2024, 12, 6), D(2024, 12, 13), D(2025, 1, 1))
    assert m.decision_late(D(2024, 12, 6), D(2024, 12, 16), D(2025, 1, 1))
    # no decision yet: late once the deadline has passed
    assert m.decision_late(D(2024, 12, 6), None, D(2024, 12, 14))
    assert not m.decision_late(D(2024, 12, 6), None, D(2024, 12, 13))
    assert not m.decision_late(None, D(2024, 12, 20), D(2025, 1, 1))


@pytest.mark.parametrize(
    "votes, mediators, ok",
    [(3, 5, True), (2, 4, False), (3, 4, True), (2, 3, True), (1, 2, False), (5, 5, True)],
)
def test_leader_needs_more_than_half(votes, mediators, ok):
    assert (m.leader_election_problem(votes=votes, mediators=mediators) is None) is ok


def test_more_votes_than_mediators_is_refused():
    problem = m.leader_election_problem(votes=6, mediators=5)
    assert "nhiều hơn số hòa giải viên" in problem
    assert "quá 50 %" in m.leader_election_problem(votes=2, mediators=4)
    assert "cần ít nhất 3 phiếu" in m.leader_election_problem(votes=2, mediators=4)


def test_composition_names_the_article():
    assert m.composition_problems(mediators=3, women=1) == []
    problems = m.composition_problems(mediators=2, women=0)
    assert len(problems) == 2 and all("Điều 12 khoản 1" in p for p in problems)
    assert m.composition_problems(mediators=3, women=1, minority_area=True)
    assert not m.composition_problems(
        mediators=3, women=1, minority_area=True, minority_mediators=1
    )


def test_start_within_three_days():
    assert not m.start_late(D(2026, 3, 2), D(2026, 3, 5), D(2026, 12, 1))
    assert m.start_late(D(2026, 3, 2), D(2026, 3, 6), D(2026, 12, 1))
    assert m.start_late(D(2026, 3, 2), None, D(2026, 3, 6))


def test_success_rate_ignores_open_cases():
    assert m.success_rate(0, 0) is None
    assert m.success_rate(17, 3) == Fraction(17, 20)


@pytest.mark.parametrize(
    "success, failure, met",
    [(849, 151, False), (850, 150, True), (851, 149, True), (17, 3, True), (5, 1, False)],
)
def test_success_rate_85_percent_or_more(success, failure, met):
    # 84,9 % misses; 85 % meets ("từ 85 % trở lên"); 5/6 = 83,3 % misses
    rate = m.success_rate(success, failure)
    assert m.meets(rate, Fraction(85), strict=False) is met


@pytest.mark.parametrize(
    "consolidated, teams, met",
    [(950, 1000, False), (951, 1000, True), (19, 20, False), (20, 20, True), (191, 200, True)],
)
def test_consolidation_more_than_95_percent_is_strict(consolidated, teams, met):
    # exactly 95 % does not meet "trên 95 %"; 95,1 % does
    assert m.meets(m.ratio(consolidated, teams), Fraction(95), strict=True) is met


def test_nothing_to_measure():
    assert m.meets(None, Fraction(85), strict=False) is None


def _table(*values):
    table = fixture_table()
    for value in values:
        table.add(value)
    return table


def per_case(amount, start, citation="NQ thử nghiệm"):
    return ParameterValue(m.PER_CASE, "93", amount, Unit.VND, start, citation)


def test_remuneration_per_case_with_a_mid_quarter_change():
    params = _table(per_case(150_000, D(2024, 1, 1)), per_case(180_000, D(2026, 8, 15)))
    before = m.case_remuneration(
        jurisdiction="93", closed_on=D(2026, 8, 14), ended=True, params=params
    )
    after = m.case_remuneration(
        jurisdiction="93", closed_on=D(2026, 8, 15), ended=True, params=params
    )
    assert (before.amount, after.amount) == (150_000, 180_000)
    assert after.trace[-1].citation == m.DECREE_15_ART_13


def test_remuneration_is_capped_at_the_national_ceiling():
    params = _table(per_case(250_000, D(2024, 1, 1)))
    result = m.case_remuneration(
        jurisdiction="93", closed_on=D(2025, 5, 1), ended=True, params=params
    )
    assert result.amount == 200_000
    assert any("Vượt mức trần" in t.label for t in result.trace)
    ceiling = next(p for p in result.parameters if p.key == m.CEILING)
    assert not ceiling.verified  # Circular 56/2023's figure is not verified


def test_a_missing_provincial_amount_is_named():
    with pytest.raises(MissingParameters) as exc:
        m.case_remuneration(
            jurisdiction="94", closed_on=D(2026, 3, 1), ended=True, params=fixture_table()
        )
    assert "mediation.per_case" in str(exc.value) and "Sóc Trăng" in str(exc.value)


def test_open_and_out_of_scope_cases_earn_nothing():
    params = _table(per_case(150_000, D(2024, 1, 1)))
    with pytest.raises(RuleError, match="đang giải quyết"):
        m.case_remuneration(jurisdiction="93", closed_on=None, ended=False, params=params)
    with pytest.raises(RuleError, match="Điều 3"):
        m.case_remuneration(
            jurisdiction="93", closed_on=D(2025, 1, 1), ended=True, params=params, in_scope=False
        )
