"""The carry-over world: new Xã Lâm Thao formed from part of Tiên Kiên (split with new Xã
Phùng Nguyên) and the whole of Xuân Lũng; its officer `canbo_xa_moi`."""

from __future__ import annotations

import pytest

from carryover import selectors
from carryover.plan import AreaPlan, Plan, TeamPlan
from teams.models import Role, Tree, UnitKind
from tests.builders import link, make_unit, make_user


@pytest.fixture
def co(roster):
    u = roster.units
    link(u["xuan_lung"], u["lam_thao_new"])
    u["phung_nguyen"] = make_unit(
        "08503",
        "Xã Phùng Nguyên",
        UnitKind.XA,
        parent=u["pt_new"],
        tree=Tree.CURRENT,
        jurisdiction="25",
    )
    link(u["tien_kien"], u["phung_nguyen"], partly=True)
    roster.users["canbo_xa_moi"] = make_user(
        "canbo_xa_moi",
        (Role.COMMUNE_OFFICER, u["lam_thao_new"]),
        first_name="Lan",
        last_name="Đỗ Thị",
    )
    roster.users["canbo_pn"] = make_user("canbo_pn", (Role.COMMUNE_OFFICER, u["phung_nguyen"]))
    return roster


def keep_plan(co, *, tien_kien_areas=("tien_kien_1",)) -> Plan:
    """Tiên Kiên's chosen areas and Xuân Lũng's area kept, each team kept (names told apart)."""
    a, t = co.areas, co.teams
    commune = co.units["lam_thao_new"]
    picked = [a[k].pk for k in tien_kien_areas]
    areas = [AreaPlan(f"{a[k].name} (Tiên Kiên)", [a[k].pk]) for k in tien_kien_areas]
    areas.append(AreaPlan("Khu 1 (Xuân Lũng)", [a["xuan_lung_1"].pk]))
    team_keys = {"tien_kien_1": "tk1", "tien_kien_2": "tk2"}
    teams = [
        TeamPlan(f"{t[team_keys[k]].name} (Tiên Kiên)", [t[team_keys[k]].pk])
        for k in tien_kien_areas
    ]
    teams.append(TeamPlan("Tổ bảo vệ ANTT Khu 1 (Xuân Lũng)", [t["xl1"].pk]))
    return Plan(
        picked={co.units["tien_kien"].pk: picked},
        areas=areas,
        teams=teams,
        fingerprint=selectors.fingerprint(selectors.sources_of(commune)),
    )
