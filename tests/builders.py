"""Small builders for test data: a few real units, typed by hand *for tests only* (the product
loads units from the official package; see tests/teams/test_official_units.py)."""

from __future__ import annotations

import datetime

from teams.models import (
    AdministrativeUnit,
    AreaKind,
    Assignment,
    Level,
    ResidentialArea,
    Tree,
    UnitKind,
    UnitSuccession,
    User,
)

LEGACY_END = datetime.date(2025, 6, 30)
CURRENT_START = datetime.date(2025, 7, 1)
PASSWORD = "test-password-123"


def make_unit(
    code: str,
    name: str,
    kind: str,
    *,
    parent: AdministrativeUnit | None = None,
    tree: str = Tree.LEGACY,
    jurisdiction: str = "",
) -> AdministrativeUnit:
    level = {
        UnitKind.TINH: Level.PROVINCE,
        UnitKind.THANH_PHO_TW: Level.PROVINCE,
        UnitKind.HUYEN: Level.DISTRICT,
        UnitKind.QUAN: Level.DISTRICT,
        UnitKind.THI_XA: Level.DISTRICT,
        UnitKind.THANH_PHO: Level.DISTRICT,
    }.get(kind, Level.COMMUNE)
    legacy = tree == Tree.LEGACY
    if not jurisdiction and legacy:
        jurisdiction = parent.jurisdiction if parent else code
    return AdministrativeUnit.objects.create(
        tree=tree,
        level=level,
        kind=kind,
        code=code,
        name=name,
        parent=parent,
        path=(parent.path if parent else f"{tree}/") + f"{code}/",
        valid_from=None if legacy else CURRENT_START,
        valid_to=LEGACY_END if legacy else None,
        jurisdiction=jurisdiction,
    )


def make_area(
    commune: AdministrativeUnit,
    name: str,
    households: int,
    *,
    kind: str = AreaKind.KHU,
    residents: int | None = None,
) -> ResidentialArea:
    return ResidentialArea.objects.create(
        commune=commune, name=name, kind=kind, households=households, residents=residents
    )


def make_user(username: str, *assignments: tuple[str, AdministrativeUnit], **extra) -> User:
    user = User.objects.create_user(username, password=PASSWORD, **extra)
    for role, unit in assignments:
        Assignment.objects.create(user=user, unit=unit, role=role)
    return user


def link(old: AdministrativeUnit, new: AdministrativeUnit, *, partly: bool = False) -> None:
    UnitSuccession.objects.create(predecessor=old, successor=new, partly=partly)
