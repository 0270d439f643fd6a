"""Demo data on top of the official units: the administrative part (areas, users, roles).

Two settings that exercise both shapes of the tree:
- old Phú Thọ (jurisdiction 25) as it stood in 2024–25: districts Lâm Thao and Việt Trì with
  wards, communes and townships; district finance and social-insurance officers approve there;
- new Cần Thơ (from 1 Jul 2025): communes whose rules come from old Cần Thơ (92), Hậu Giang (93)
  and Sóc Trăng (94).

Household counts are drawn from a fixed seed so every run builds the same demo; a few areas sit
exactly on quota thresholds (350, 525, 666, 667 households) so the rules can be seen at work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from .models import (
    AdministrativeUnit,
    AreaKind,
    Assignment,
    Level,
    ResidentialArea,
    Role,
    Tree,
    User,
)

DEMO_PASSWORD = "demo-antt-2026"


@dataclass(frozen=True)
class DemoCommune:
    tree: str
    code: str
    area_kind: str
    area_names: tuple[str, ...]
    # Households fixed for some areas, so quota thresholds show up in the demo.
    fixed_households: tuple[int, ...] = ()


def _numbered(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix} {i}" for i in range(1, n + 1))


DEMO_COMMUNES = [
    # Old Phú Thọ, Huyện Lâm Thao (237)
    DemoCommune(
        Tree.LEGACY, "08497", AreaKind.KHU, _numbered("Khu", 8), (350, 525)
    ),  # Xã Tiên Kiên
    DemoCommune(
        Tree.LEGACY, "08500", AreaKind.KHU, _numbered("Khu", 7), (349, 700)
    ),  # Xã Xuân Lũng
    DemoCommune(Tree.LEGACY, "08494", AreaKind.KHU, _numbered("Khu", 6)),  # Thị trấn Lâm Thao
    DemoCommune(Tree.LEGACY, "08498", AreaKind.KHU, _numbered("Khu", 5)),  # Thị trấn Hùng Sơn
    # Old Phú Thọ, Thành phố Việt Trì (227)
    DemoCommune(
        Tree.LEGACY, "07900", AreaKind.TO_DAN_PHO, _numbered("Tổ dân phố", 9), (666, 667)
    ),  # Phường Gia Cẩm
    DemoCommune(
        Tree.LEGACY, "07903", AreaKind.TO_DAN_PHO, _numbered("Tổ dân phố", 6)
    ),  # Phường Tiên Cát
    DemoCommune(Tree.LEGACY, "07924", AreaKind.KHU, _numbered("Khu", 6)),  # Xã Thụy Vân
    # New Cần Thơ
    DemoCommune(
        Tree.CURRENT,
        "31567",
        AreaKind.AP,  # Xã Mỹ Tú, from old Sóc Trăng (94)
        (
            "Ấp Mỹ Phú",
            "Ấp Mỹ Thuận",
            "Ấp Mỹ Hòa",
            "Ấp Tam Sóc",
            "Ấp Phước An",
            "Ấp Cũ Hanh",
            "Ấp Tân Lập",
            "Ấp Mỹ Lợi",
        ),
    ),
    DemoCommune(
        Tree.CURRENT, "31135", AreaKind.KHU_VUC, _numbered("Khu vực", 8)
    ),  # Phường Ninh Kiều (92)
    DemoCommune(
        Tree.CURRENT,
        "31299",
        AreaKind.AP,  # Xã Phong Điền (92)
        (
            "Ấp Nhơn Lộc 1",
            "Ấp Nhơn Lộc 2",
            "Ấp Nhơn Thọ",
            "Ấp Thị Tứ",
            "Ấp Tân Thạnh",
            "Ấp Trường Thọ",
        ),
    ),
    DemoCommune(
        Tree.CURRENT,
        "31441",
        AreaKind.AP,  # Xã Vị Thủy (93)
        ("Ấp 1", "Ấp 2", "Ấp 3", "Ấp 4", "Ấp 5", "Ấp Vĩnh Phú", "Ấp Vĩnh Thạnh"),
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    tree: str
    level: str
    code: str
    title: str


DEMO_USERS = [
    DemoUser(
        "canbo_xa1",
        "Hùng",
        "Nguyễn Văn",
        Role.COMMUNE_OFFICER,
        Tree.LEGACY,
        Level.COMMUNE,
        "08497",
        "Phó Trưởng Công an xã Tiên Kiên",
    ),
    DemoUser(
        "canbo_xa2",
        "Lan",
        "Trần Thị",
        Role.COMMUNE_OFFICER,
        Tree.LEGACY,
        Level.COMMUNE,
        "08500",
        "Cán bộ Công an xã Xuân Lũng",
    ),
    DemoUser(
        "taichinh_huyen",
        "Minh",
        "Lê Quang",
        Role.FINANCE_OFFICER,
        Tree.LEGACY,
        Level.DISTRICT,
        "237",
        "Chuyên viên Phòng Tài chính - Kế hoạch huyện Lâm Thao",
    ),
    DemoUser(
        "bhxh_huyen",
        "Hoa",
        "Phạm Thị",
        Role.INSURANCE_OFFICER,
        Tree.LEGACY,
        Level.DISTRICT,
        "237",
        "Chuyên viên Bảo hiểm xã hội huyện Lâm Thao",
    ),
    DemoUser(
        "congan_tinh",
        "Tuấn",
        "Đỗ Anh",
        Role.PROVINCIAL_POLICE,
        Tree.LEGACY,
        Level.PROVINCE,
        "25",
        "Cán bộ Phòng Cảnh sát quản lý hành chính, Công an tỉnh Phú Thọ",
    ),
    DemoUser(
        "canbo_ct",
        "Sơn",
        "Thạch Minh",
        Role.COMMUNE_OFFICER,
        Tree.CURRENT,
        Level.COMMUNE,
        "31567",
        "Cán bộ Công an xã Mỹ Tú",
    ),
    # Two-tier tree: no district any more; the commune's own economic office approves funding.
    DemoUser(
        "taichinh_ct",
        "Thảo",
        "Huỳnh Ngọc",
        Role.FINANCE_OFFICER,
        Tree.CURRENT,
        Level.COMMUNE,
        "31567",
        "Chuyên viên Phòng Kinh tế xã Mỹ Tú",
    ),
]
# The provincial police of Phú Thọ carries on after the merger: they also see new Phú Thọ.
EXTRA_ASSIGNMENTS = [("congan_tinh", Role.PROVINCIAL_POLICE, Tree.CURRENT, Level.PROVINCE, "25")]


def demo_users_exist() -> bool:
    return User.objects.filter(username__in=[u.username for u in DEMO_USERS]).exists()


def _unit(tree: str, level: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(tree=tree, level=level, code=code)


def demo_communes() -> list[AdministrativeUnit]:
    return [_unit(c.tree, Level.COMMUNE, c.code) for c in DEMO_COMMUNES]


@transaction.atomic
def seed_areas_and_users(*, rng: random.Random) -> None:
    for spec in DEMO_COMMUNES:
        commune = _unit(spec.tree, Level.COMMUNE, spec.code)
        for i, name in enumerate(spec.area_names):
            households = (
                spec.fixed_households[i]
                if i < len(spec.fixed_households)
                else rng.randint(100, 1200)
            )
            ResidentialArea.objects.create(
                commune=commune,
                name=name,
                kind=spec.area_kind,
                households=households,
                residents=households * rng.randint(34, 42) // 10,
            )
    for spec in DEMO_USERS:
        user = User.objects.create_user(
            spec.username,
            password=DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
        )
        Assignment.objects.create(
            user=user,
            unit=_unit(spec.tree, spec.level, spec.code),
            role=spec.role,
            title=spec.title,
        )
    for username, role, tree, level, code in EXTRA_ASSIGNMENTS:
        Assignment.objects.create(
            user=User.objects.get(username=username), unit=_unit(tree, level, code), role=role
        )
    User.objects.create_superuser(
        "admin", password=DEMO_PASSWORD, first_name="Quản trị", last_name="Hệ thống"
    )


@transaction.atomic
def remove_demo() -> None:
    """Delete what `seed_areas_and_users` created (later parts delete their own first)."""
    User.objects.filter(username__in=[u.username for u in DEMO_USERS] + ["admin"]).delete()
    ResidentialArea.objects.filter(commune__in=demo_communes()).delete()
