"""Cần Thơ NQ 03/2024: bands of maxima, 0.8 × base salary, UNVERIFIED extras modelled not shipped."""

from fractions import Fraction

import pytest

from rules import engine
from rules.base import MemberFacts, MissingParameters, RuleError, TeamRole
from tests.rules.helpers import D, quota, support, with_values

J = "92"


@pytest.mark.parametrize(
    ("households", "members"), [(349, 3), (350, 6), (749, 6), (750, 7), (999, 7)]
)
def test_quota_bands_are_maxima(params, households, members):
    result = quota(params, J, households)
    assert (result.members, result.maximum) == (members, True)


def test_areas_of_1000_households_need_the_unknown_top_band(params):
    with pytest.raises(MissingParameters, match=r"quota.all.top_members"):
        quota(params, J, 1000)
    table = with_values(params, J, D(2024, 7, 15), {"quota.all.top_members": (8, "count")})
    assert quota(table, J, 1200).members == 8


def test_member_gets_0_8_of_base_salary(params):
    result = support(params, J, "to_vien")
    assert result.amount == 1_872_000
    assert result.citation == "NQ 03/2024/NQ-HĐND TP Cần Thơ, Điều 2, khoản 1"


@pytest.mark.parametrize("role", ["to_truong", "to_pho"])
def test_role_extras_are_unverified_and_named(params, role):
    with pytest.raises(MissingParameters, match=f"support.addon.{role}"):
        support(params, J, role)


def test_training_level_extra_needs_its_amount(params):
    with pytest.raises(MissingParameters, match=r"support.training.trung_cap"):
        support(params, J, "to_vien", training_level="trung_cap")
    table = with_values(params, J, D(2024, 7, 15), {"support.training.trung_cap": (100_000, "vnd")})
    assert support(table, J, "to_vien", training_level="trung_cap").amount == 1_972_000


def test_july_2024_pays_the_days_from_the_date_in_force(params):
    # Issue 12 item 2: in force 15/07/2024, so July pays 15–31 July (17 of 31 days), rounded
    # once: 1.872.000 × 17 ÷ 31 = 1.026.580,6… → 1.026.581 đ; the trace shows both segments.
    result = support(params, J, "to_vien", month=D(2024, 7, 1))
    assert result.amount == 1_026_581
    labels = [item.label for item in result.trace]
    assert "Từ 01/07/2024 đến 14/07/2024" in labels and "Từ 15/07/2024 đến 31/07/2024" in labels
    assert "làm tròn một lần" in result.trace[-1].label
    assert support(params, J, "to_vien", month=D(2024, 8, 1)).amount == 1_872_000


def test_june_2024_has_no_rule(params):
    with pytest.raises(RuleError, match="Cần Thơ"):
        support(params, J, "to_vien", month=D(2024, 6, 1))


JULY_2024 = D(2024, 7, 1)


def served(params, first, last, month=JULY_2024, table=None):
    return engine.monthly_support(
        jurisdiction=J, member=MemberFacts(TeamRole.TO_VIEN), month=month,
        params=table or params, active_days=(last - first).days + 1, served=(first, last),
    ).amount  # fmt: skip


def test_the_day_before_and_the_day_the_rule_starts(params):
    # Joining on 14/07 or on 15/07 pays the same 17 days; leaving on 14/07 pays nothing,
    # leaving on 15/07 pays one day: 1.872.000 ÷ 31 = 60.387,1 → 60.387 đ.
    assert served(params, D(2024, 7, 14), D(2024, 7, 31)) == 1_026_581
    assert served(params, D(2024, 7, 15), D(2024, 7, 31)) == 1_026_581
    assert served(params, D(2024, 7, 1), D(2024, 7, 14)) == 0
    assert served(params, D(2024, 7, 1), D(2024, 7, 15)) == 60_387


def test_a_value_changing_mid_month_gives_two_segments_and_one_rounding(params):
    table = with_values(params, J, D(2024, 8, 20), {"support.base": (Fraction(1), "coefficient")})
    full = support(table, J, "to_vien", month=D(2024, 8, 1))
    # 1.872.000 × 19 ÷ 31 + 2.340.000 × 12 ÷ 31 = 63.648.000 ÷ 31 = 2.053.161,29… → 2.053.161
    assert full.amount == 2_053_161
    assert [t.label for t in full.trace if t.label.startswith("Từ")] == [
        "Từ 01/08/2024 đến 19/08/2024", "Từ 20/08/2024 đến 31/08/2024",
    ]  # fmt: skip
    # The day before and the day the value starts.
    assert served(params, D(2024, 8, 19), D(2024, 8, 19), D(2024, 8, 1), table) == 60_387
    assert served(params, D(2024, 8, 20), D(2024, 8, 20), D(2024, 8, 1), table) == 75_484
    # A member joining on 10/08 in that month: 10 days at 1.872.000, 12 at 2.340.000.
    # 18.720.000 ÷ 31 + 28.080.000 ÷ 31 = 46.800.000 ÷ 31 = 1.509.677,4… → 1.509.677
    assert served(params, D(2024, 8, 10), D(2024, 8, 31), D(2024, 8, 1), table) == 1_509_677


def test_the_command_pays_17_days_of_july_2024(db_params, capsys):
    import json

    from django.core.management import call_command

    call_command(
        "rules", "monthly", "--jurisdiction", "92", "--role", "to_vien", "--month", "2024-07",
        "--active-days", "17",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out)["amount"] == 1_026_581


def test_no_invented_figures_are_shipped(params):
    keys = {v.key for v in params if v.jurisdiction == J}
    assert not any(
        k.startswith(("support.addon", "support.training", "duty.", "vsi.", "hi.")) for k in keys
    )
