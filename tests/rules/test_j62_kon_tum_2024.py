"""Kon Tum NQ 24/2024: cited, no figures; every computation names every figure to enter."""

import pytest

from rules.base import MissingParameters
from rules.jurisdictions import j62_kon_tum_2024 as kon_tum
from tests.rules.helpers import AUG_2024, D, duty, insurance, quota, support, with_values

J = "62"
EXPECTED = [
    "quota.all.bands",
    "support.to_truong",
    "support.to_pho",
    "support.to_vien",
    "vsi.province.mode",
    "hi.province.mode",
]


@pytest.mark.parametrize(
    "compute",
    [
        lambda p: quota(p, J, 100),
        lambda p: support(p, J, "to_vien"),
        lambda p: duty(p, J, night=1),
        lambda p: insurance(p, J, "hi", AUG_2024),
        lambda p: insurance(p, J, "vsi", AUG_2024),
    ],
)
def test_every_computation_lists_exactly_the_figures_to_enter(params, compute):
    with pytest.raises(MissingParameters) as err:
        compute(params)
    assert [m[0] for m in err.value.missing] == EXPECTED == kon_tum.REQUIRED_KEYS
    assert "Tỉnh Kon Tum" in str(err.value)


def test_no_figure_is_shipped(params):
    """Only the Art. 4(1) equipment items (flashlights, whistles), flagged unverified."""
    shipped = [v for v in params if v.jurisdiction == J]
    assert {v.key for v in shipped} == {
        "equipment.flashlight.per_member",
        "equipment.whistle.per_member",
    }
    assert not any(v.verified for v in shipped)


def test_once_entered_it_computes(params):
    table = with_values(
        params,
        J,
        D(2024, 7, 1),
        {
            "quota.all.bands": (((0, 3), (400, 4)), "bands"),
            "support.to_truong": (1_000_000, "vnd"),
            "support.to_pho": (900_000, "vnd"),
            "support.to_vien": (800_000, "vnd"),
            "vsi.province.mode": ("none", "choice"),
            "hi.province.mode": ("none", "choice"),
        },
    )
    assert quota(table, J, 400).members == 4
    assert support(table, J, "to_pho").amount == 900_000
    assert insurance(table, J, "hi", D(2025, 8, 15)).member_pays == 52_650


def test_docstring_cites_the_resolution():
    assert "24/2024/NQ-HĐND" in kon_tum.__doc__ and "28 June 2024" in kon_tum.__doc__
