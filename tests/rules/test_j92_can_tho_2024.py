"""Cần Thơ NQ 03/2024: bands of maxima, 0.8 × base salary, UNVERIFIED extras modelled not shipped."""

import pytest

from rules.base import MissingParameters, RuleError
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


def test_starts_on_the_assumed_date_in_force(params):
    with pytest.raises(RuleError, match="01/07/2024"):
        support(params, J, "to_vien", month=D(2024, 7, 1))
    assert support(params, J, "to_vien", month=D(2024, 8, 1)).amount == 1_872_000


def test_no_invented_figures_are_shipped(params):
    keys = {v.key for v in params if v.jurisdiction == J}
    assert not any(
        k.startswith(("support.addon", "support.training", "duty.", "vsi.", "hi.")) for k in keys
    )
