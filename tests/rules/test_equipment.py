"""Support tools and furniture a team should hold (Circular 14 Art. 8, Decree 40 Art. 4)."""

import datetime

import pytest

from rules.equipment import team_needs
from rules.parameters import fixture_table

ON = datetime.date(2025, 12, 1)


@pytest.fixture(scope="module")
def params():
    return fixture_table()


def needs(params, members, **held):
    return {n.item: n for n in team_needs(members=members, held=held, params=params, on=ON)}


@pytest.mark.parametrize(
    ("members", "rubber", "metal", "vest"),
    [(3, 3, 2, 1), (4, 4, 2, 2), (5, 4, 3, 2), (7, 6, 4, 3), (10, 8, 5, 3)],
)
def test_tool_shares_are_rounded_up(params, members, rubber, metal, vest):
    n = needs(params, members)
    assert (n["rubber_baton"].required, n["metal_baton"].required, n["stab_vest"].required) == (
        rubber,
        metal,
        vest,
    )
    assert n["rubber_baton"].formula == f"⌈80 % × {members}⌉"
    assert "Thông tư 14/2024/TT-BCA, Điều 8" in n["rubber_baton"].citation


@pytest.mark.parametrize(
    ("members", "low", "high"),
    [
        (3, 3, 4),
        (5, 3, 4),
        (6, 6, 8),
        (10, 6, 8),
        (11, 11, 13),
        (16, 16, 18),
        (20, 16, 18),
        (21, 20, 30),
    ],
)
def test_desks_follow_the_bands_of_decree_40(params, members, low, high):
    desk = needs(params, members)["desk"]
    assert (desk.required, desk.maximum) == (low, high)


def test_need_is_required_minus_held_never_negative(params):
    n = needs(params, 4, rubber_baton=10, metal_baton=1)
    assert n["rubber_baton"].need == 0
    assert n["metal_baton"].need == 1
    assert n["chair"].need == 4


def test_flashlights_and_whistles_are_kon_tums_items_only(params):
    """Kon Tum NQ 24/2024 Art. 4(1): a provincial item, cited to the province, unverified in
    quantity; a team elsewhere (Sóc Trăng 94, Phú Thọ 25) is not asked for them, and no
    national parameter cites a provincial resolution."""
    kon_tum = {
        n.item: n for n in team_needs(members=3, held={}, params=params, on=ON, jurisdiction="62")
    }
    assert kon_tum["flashlight"].required == 3 and not kon_tum["flashlight"].verified
    assert "tỉnh Kon Tum" in kon_tum["whistle"].citation
    for jurisdiction in ("94", "25", ""):
        items = {
            n.item
            for n in team_needs(members=3, held={}, params=params, on=ON, jurisdiction=jurisdiction)
        }
        assert not items & {"flashlight", "whistle"}
        assert "rubber_baton" in items
    national = [v for v in params if v.jurisdiction == ""]
    assert not [v.key for v in national if "HĐND" in v.citation]


def test_surplus_and_need_agree_with_required_minus_held(params):
    """Read as a contradiction, "Ghế: cần 27, có 31, thiếu 3": per team, need and surplus are
    the two sides of required − held, so their sums over teams reconcile."""
    teams = [(9, 5), (9, 14), (9, 12)]  # (members, chairs held): short 4, spare 5, spare 3
    lines = [
        {n.item: n for n in team_needs(members=m, held={"chair": h}, params=params, on=ON)}["chair"]
        for m, h in teams
    ]
    required, held = sum(n.required for n in lines), sum(n.held for n in lines)
    need, surplus = sum(n.need for n in lines), sum(n.surplus for n in lines)
    assert (required, held, need, surplus) == (27, 31, 4, 8)
    assert required - held == need - surplus
