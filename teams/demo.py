"""Demo data on top of the official units: the administrative part (areas, users, roles).

Two settings that exercise both shapes of the tree:
- old Phú Thọ (jurisdiction 25) as it stood in 2024–25: districts Lâm Thao and Việt Trì with
  wards, communes and townships; district finance and social-insurance officers approve there;
- new Cần Thơ (from 1 Jul 2025): communes whose rules come from old Cần Thơ (92), Hậu Giang (93)
  and Sóc Trăng (94);
- and the hand-over between the two trees in Phú Thọ: new Xã Lâm Thao receives the areas, teams
  and members of Thị trấn Lâm Thao and Thị trấn Hùng Sơn through the carry-over service
  (carryover.demo, run after the old rosters); new Xã Xuân Lũng (from Tiên Kiên and old Xuân
  Lũng) is left for the user to carry over in the browser (`LEFT_FOR_USER`).

Household counts are drawn from a fixed seed so every run builds the same demo; a few areas sit
exactly on quota thresholds (350, 525, 666, 667 households) so the rules can be seen at work.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from config.security import DEMO_PASSWORD

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


@dataclass(frozen=True)
class DemoCommune:
    tree: str
    code: str
    area_kind: str
    area_names: tuple[str, ...]
    # Households fixed for some areas, so quota thresholds show up in the demo.
    fixed_households: tuple[int, ...] = ()
    # A new commune whose areas and teams come from its predecessors by the carry-over
    # (carryover.demo), not from this list: `area_names` is empty.
    carried: bool = False


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
    # New Phú Thọ: Xã Lâm Thao, formed from Thị trấn Lâm Thao and Thị trấn Hùng Sơn (after the
    # old communes, so that their rosters exist when it is carried over).
    DemoCommune(Tree.CURRENT, "08494", AreaKind.KHU, (), carried=True),
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
# New Phú Thọ (two-tier tree): the officer and the economic office of new Xã Lâm Thao, whose
# rosters came over from Thị trấn Lâm Thao and Thị trấn Hùng Sơn; the officer of new Xã Xuân
# Lũng, who still has to carry over Tiên Kiên and old Xuân Lũng; the provincial social-insurance
# office that co-signs the new communes' lists.
DEMO_USERS += [
    DemoUser("canbo_xa_moi", "Thủy", "Đỗ Thị", Role.COMMUNE_OFFICER, Tree.CURRENT,
             Level.COMMUNE, "08494", "Cán bộ Công an xã Lâm Thao"),
    DemoUser("taichinh_xa_moi", "Bình", "Kiều Văn", Role.FINANCE_OFFICER, Tree.CURRENT,
             Level.COMMUNE, "08494", "Chuyên viên Phòng Kinh tế xã Lâm Thao"),
    DemoUser("canbo_xuanlung", "Cường", "Hoàng Mạnh", Role.COMMUNE_OFFICER, Tree.CURRENT,
             Level.COMMUNE, "08500", "Phó Trưởng Công an xã Xuân Lũng"),
    DemoUser("bhxh_phutho", "Quyên", "Ngô Thị", Role.INSURANCE_OFFICER, Tree.CURRENT,
             Level.PROVINCE, "25", "Chuyên viên Bảo hiểm xã hội tỉnh Phú Thọ"),
]  # fmt: skip
# Officers of the other demo communes, so that every commune's runs and lists are made by its
# own people (the README names them in one line rather than one row each).
OTHER_OFFICERS = [
    ("canbo_lamthao", "Thị trấn Lâm Thao", Tree.LEGACY, "08494", "Hà", "Vũ Thu"),
    ("canbo_hungson", "Thị trấn Hùng Sơn", Tree.LEGACY, "08498", "Quân", "Đinh Văn"),
    ("canbo_giacam", "Phường Gia Cẩm", Tree.LEGACY, "07900", "Phương", "Nguyễn Thị"),
    ("canbo_tiencat", "Phường Tiên Cát", Tree.LEGACY, "07903", "Đức", "Bùi Minh"),
    ("canbo_thuyvan", "Xã Thụy Vân", Tree.LEGACY, "07924", "Thắng", "Cao Văn"),
    ("canbo_ninhkieu", "Phường Ninh Kiều", Tree.CURRENT, "31135", "Tâm", "Lý Thanh"),
    ("canbo_phongdien", "Xã Phong Điền", Tree.CURRENT, "31299", "Nhân", "Trương Hữu"),
    ("canbo_vithuy", "Xã Vị Thủy", Tree.CURRENT, "31441", "Duy", "Lâm Quốc"),
]
DEMO_USERS += [
    DemoUser(user, first, last, Role.COMMUNE_OFFICER, tree, Level.COMMUNE, code,
             f"Cán bộ Công an {name[0].lower()}{name[1:]}")
    for user, name, tree, code, first, last in OTHER_OFFICERS
]  # fmt: skip
DEMO_USERS += [
    DemoUser(
        "taichinh_viettri",
        "Hằng",
        "Đặng Thúy",
        Role.FINANCE_OFFICER,
        Tree.LEGACY,
        Level.DISTRICT,
        "227",
        "Chuyên viên Phòng Tài chính - Kế hoạch thành phố Việt Trì",
    ),
    # Two-tier tree: the city's social-insurance office checks and co-signs Mỹ Tú's lists.
    DemoUser(
        "bhxh_ct",
        "Yến",
        "Lâm Hải",
        Role.INSURANCE_OFFICER,
        Tree.CURRENT,
        Level.PROVINCE,
        "92",
        "Chuyên viên Bảo hiểm xã hội thành phố Cần Thơ",
    ),
    DemoUser(
        "taichinh_ninhkieu",
        "Khoa",
        "Võ Đăng",
        Role.FINANCE_OFFICER,
        Tree.CURRENT,
        Level.COMMUNE,
        "31135",
        "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị phường Ninh Kiều",
    ),
    DemoUser(
        "taichinh_phongdien",
        "Ngân",
        "Phan Kim",
        Role.FINANCE_OFFICER,
        Tree.CURRENT,
        Level.COMMUNE,
        "31299",
        "Chuyên viên Phòng Kinh tế xã Phong Điền",
    ),
    DemoUser(
        "taichinh_vithuy",
        "Lộc",
        "Huỳnh Tấn",
        Role.FINANCE_OFFICER,
        Tree.CURRENT,
        Level.COMMUNE,
        "31441",
        "Chuyên viên Phòng Kinh tế xã Vị Thủy",
    ),
]
DEMO_USERS += [
    # District police reviewed commune reports while districts existed (until 2025).
    DemoUser("congan_huyen", "Việt", "Hà Quốc", Role.PROVINCIAL_POLICE, Tree.LEGACY,
             Level.DISTRICT, "237", "Cán bộ Công an huyện Lâm Thao"),
    DemoUser("congan_ct", "Phúc", "Trịnh Hoàng", Role.PROVINCIAL_POLICE, Tree.CURRENT,
             Level.PROVINCE, "92", "Cán bộ Phòng Cảnh sát quản lý hành chính, Công an TP Cần Thơ"),
]  # fmt: skip
# The provincial police of Phú Thọ carries on after the merger: they also see new Phú Thọ.
EXTRA_ASSIGNMENTS = [("congan_tinh", Role.PROVINCIAL_POLICE, Tree.CURRENT, Level.PROVINCE, "25")]


@functools.cache
def demo_password_hash() -> str:
    """The demo password, hashed once for every demo account: they all share the one public
    password, and hashing it again for each (PBKDF2, a million rounds) was most of the CPU the
    demo spent making users."""
    return make_password(DEMO_PASSWORD)


@contextlib.contextmanager
def removal() -> Iterator[None]:
    """A demo part's removal (`seed_demo --reset`): one transaction, and no history rows for
    the rows it deletes. Each part deletes the history of what it removes (a reset leaves none
    behind), so the "deleted" rows django-simple-history writes for each of them (~2,000 over
    a reset, a third of its time) were written only to be deleted again. The library reads
    the setting at each signal; the command runs alone in its process."""
    enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        with transaction.atomic():
            yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = enabled


def demo_users_exist() -> bool:
    return User.objects.filter(username__in=[u.username for u in DEMO_USERS]).exists()


def _unit(tree: str, level: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(tree=tree, level=level, code=code)


def demo_communes() -> list[AdministrativeUnit]:
    """The communes the demo fills (runs, lists, reports)."""
    return [_unit(c.tree, Level.COMMUNE, c.code) for c in DEMO_COMMUNES]


#: The new commune left for the user to carry over in the browser: Xã Xuân Lũng (Phú Thọ),
#: formed from Xã Tiên Kiên and old Xã Xuân Lũng, both with demo rosters.
LEFT_FOR_USER = (Tree.CURRENT, "08500")
#: The successors of old Việt Trì's demo communes (Phường Gia Cẩm, Phường Tiên Cát, Xã Thụy
#: Vân), carried over on the default plan so that no old commune's member still serves after
#: 30/06/2025; the demo gives them no officer, runs or reports.
CARRIED_ON_DEFAULT_PLAN = (
    (Tree.CURRENT, "07900"),  # Phường Việt Trì
    (Tree.CURRENT, "07909"),  # Phường Thanh Miếu
    (Tree.CURRENT, "07894"),  # Phường Nông Trang
)


def touched_communes() -> list[AdministrativeUnit]:
    """Every commune the demo writes in: the demo communes, the Việt Trì successors and the one
    left for the user. `--reset` cleans them all, what the user made in the browser included
    (a carry-over, runs, lists, reports)."""
    return demo_communes() + [
        _unit(tree, Level.COMMUNE, code) for tree, code in (*CARRIED_ON_DEFAULT_PLAN, LEFT_FOR_USER)
    ]


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
        user = User.objects.create(
            username=spec.username,
            password=demo_password_hash(),
            first_name=spec.first_name,
            last_name=spec.last_name,
            # Reserved domain (RFC 2606): reminders from the demo can never reach a real inbox.
            email=f"{spec.username}@antt-demo.example",
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
    admin = User.objects.create(
        username="admin",
        password=demo_password_hash(),
        first_name="Quản trị",
        last_name="Hệ thống",
        is_staff=True,
        is_superuser=True,
    )
    # The admin site needs the staff flag *and* an administrator assignment (config.security).
    Assignment.objects.create(
        user=admin,
        unit=_unit(Tree.CURRENT, Level.PROVINCE, "25"),
        role=Role.ADMINISTRATOR,
        title="Quản trị hệ thống",
    )


@removal()
def remove_demo() -> None:
    """Delete what `seed_areas_and_users` and `seed_rosters` created (later parts delete their
    own first)."""
    remove_rosters()
    User.objects.filter(username__in=[u.username for u in DEMO_USERS] + ["admin"]).delete()
    areas = ResidentialArea.objects.filter(commune__in=touched_communes())
    area_ids = list(areas.values_list("pk", flat=True))
    areas.delete()
    ResidentialArea.history.filter(id__in=area_ids).delete()


# ---------------------------------------------------------------------------------------------
# Rosters: one team per demo residential area, sized to its quota
# ---------------------------------------------------------------------------------------------
#
# Teams are set up through `teams.services` and each commune's members are entered as one
# import (`roster_io.import_records`), so the demo obeys the same rules as an officer (CCCD,
# ages, residence, one Tổ trưởng, quota) and every row has its history, attributed to the
# commune's demo officer. Phú Thọ (old tree) memberships start in July 2024, the law's first
# month, and a few end before 30/06/2025 with a replacement; Cần Thơ (new tree) memberships start
# from 01/07/2025. Where a quota cannot be computed yet (no rule module for the jurisdiction in
# this build: Cần Thơ 92, Hậu Giang 93, Sóc Trăng 94 arrive with the rules package), the team
# gets 3 members, the composition every team has under Law 30/2023 Art. 16 (Tổ trưởng, Tổ phó,
# Tổ viên); once the rules are in, the quota is computed and the demo follows it.

# Family names roughly as common as they are in the population (north / south spelling).
FAMILY_NORTH = [
    ("Nguyễn", 36), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4),
    ("Vũ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1),
    ("Đinh", 1), ("Trịnh", 1), ("Tạ", 1), ("Cao", 1), ("Lương", 1), ("Hà", 1), ("Kiều", 1),
]  # fmt: skip
FAMILY_SOUTH = [
    ("Nguyễn", 34), ("Trần", 12), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 6), ("Võ", 5),
    ("Phan", 4), ("Trương", 2), ("Đặng", 2), ("Bùi", 2), ("Ngô", 2), ("Dương", 2), ("Lâm", 2),
    ("Đỗ", 1), ("Hồ", 1), ("Lý", 1), ("Mai", 1), ("Tô", 1), ("Quách", 1), ("Châu", 1),
]  # fmt: skip
MIDDLE = {
    "nam": ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân", "Ngọc", "Duy"],
    "nu": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Bích"],
}  # fmt: skip
GIVEN = {
    "nam": [
        "Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Trung", "Hiếu", "Cường",
        "Quân", "Phong", "Tâm", "Bình", "Hưng", "Khoa", "Lâm", "Phúc", "Thành", "Tùng", "Việt",
        "Toàn", "Đông", "Hòa", "Lộc", "Tài", "Vinh", "Kiên", "Quyết",
    ],
    "nu": [
        "Lan", "Hương", "Hoa", "Mai", "Hạnh", "Thảo", "Huyền", "Trang", "Linh", "Nga", "Yến",
        "Dung", "Phượng", "Loan", "Tuyết", "Nhung", "Hằng", "Thủy", "Vân", "Oanh",
    ],
}  # fmt: skip
# Khmer Vietnamese names of the Mekong delta (Sóc Trăng): family names given to Khmer families
# and Khmer given names written in Vietnamese spelling.
KHMER_FAMILY = [
    ("Thạch", 5),
    ("Sơn", 4),
    ("Danh", 3),
    ("Kim", 3),
    ("Lâm", 2),
    ("Lý", 1),
    ("Châu", 1),
]
KHMER_GIVEN = {
    "nam": ["Sa Rinh", "Sô Phol", "Sóc Khum", "Sa Rây", "Ry", "Sang", "Mết", "Ngọc Sơn", "Sa Phon", "Chanh Đa", "Hoàng Tha", "Sươl"],
    "nu": ["Thị Sa Quênh", "Thị Sô Phia", "Thị Mỹ Hạnh", "Thị Sa Ly", "Thị Chanh Thu", "Thị Sóc Kha", "Thị Ngọc Hân", "Thị Sa Rươl"],
}  # fmt: skip
BIRTH_PROVINCE = {"25": "025", "92": "092", "93": "093", "94": "094"}
# The leaving and joining day of Thị trấn Hùng Sơn's member who changes in June 2025.
STRADDLING_CHANGE = (datetime.date(2025, 6, 20), datetime.date(2025, 6, 24))
ROSTER_START = {Tree.LEGACY: datetime.date(2024, 7, 1), Tree.CURRENT: datetime.date(2025, 7, 1)}
PHONE_PREFIXES = ["086", "096", "097", "098", "032", "033", "035", "038", "091", "094", "088", "070", "077", "083"]  # fmt: skip


def _weighted(rng: random.Random, pairs) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def demo_name(rng: random.Random, sex: str, *, south: bool, khmer: bool) -> str:
    if khmer:
        return f"{_weighted(rng, KHMER_FAMILY)} {rng.choice(KHMER_GIVEN[sex])}"
    family = _weighted(rng, FAMILY_SOUTH if south else FAMILY_NORTH)
    return f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


@dataclass
class _Counter:
    decision: int = 100
    serials: set = None

    def __post_init__(self):
        self.serials = set()


def _person(rng, counter, *, commune, area, start, south, khmer, age=None):
    from rules import cccd

    from .models import Education, HouseholdStatus, ResidenceType
    from .validation import PersonData

    sex = "nam" if rng.random() < 0.78 else "nu"
    age = age or rng.randint(24, 66)
    birth = datetime.date(start.year - age, rng.randint(1, 12), rng.randint(1, 28))
    while True:
        serial = rng.randint(0, 999_999)
        number = cccd.make_number(
            province_code=BIRTH_PROVINCE.get(commune.jurisdiction, "025"),
            sex=sex,
            birth_year=birth.year,
            serial=serial,
        )
        if number not in counter.serials:
            counter.serials.add(number)
            break
    if rng.random() < 0.8:
        residence_type, since = ResidenceType.THUONG_TRU, birth  # since birth
    else:
        residence_type = ResidenceType.TAM_TRU
        since = start - datetime.timedelta(days=rng.randint(400, 3000))
    education = rng.choices(
        [
            Education.THCS,
            Education.THPT,
            Education.TRUNG_CAP,
            Education.CAO_DANG,
            Education.DAI_HOC,
        ],
        weights=[35, 40, 12, 6, 7],
    )[0]
    household = rng.choices(
        [HouseholdStatus.KHAC, HouseholdStatus.CAN_NGHEO, HouseholdStatus.NGHEO], weights=[88, 7, 5]
    )[0]
    ethnicity = "Khmer" if khmer else ("Mường" if not south and rng.random() < 0.04 else "Kinh")
    province = "Phú Thọ" if commune.jurisdiction == "25" else "Cần Thơ"
    phone = (
        f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 9_999_999):07d}" if rng.random() < 0.9 else ""
    )
    return PersonData(
        full_name=demo_name(rng, sex, south=south, khmer=khmer),
        birth_date=birth,
        sex=sex,
        cccd=number,
        phone=phone,
        ethnicity=ethnicity,
        education=education,
        household_status=household,
        residence_type=residence_type,
        residence_address=f"{area.name}, {commune.name}, {province}",
        residence_since=since,
    )


@transaction.atomic
def seed_rosters(*, rng: random.Random) -> dict[str, int]:
    """One team per demo area, members up to its quota, a few ended memberships."""
    from . import selectors

    with selectors.parameters_cache():
        return _seed_rosters(rng)


def _seed_rosters(rng: random.Random) -> dict[str, int]:
    """Commune by commune, in the order of DEMO_COMMUNES (the random draws follow it): the
    teams and the records of their members, imported at once, then the leavers and their
    replacements."""
    from rules.models import Parameter

    if not Parameter.objects.exists():
        from django.core.management import call_command

        call_command("load_parameters", verbosity=0)
    officers = {
        (a.unit.tree, a.unit.code): a.user
        for a in Assignment.objects.filter(role=Role.COMMUNE_OFFICER).select_related("unit", "user")
    }
    admin = User.objects.filter(username="admin").first()
    counter = _Counter()
    totals = {"teams": 0, "members": 0, "ended": 0, "fallback_teams": 0}
    for spec in DEMO_COMMUNES:
        if spec.carried:
            continue  # its teams come from the carry-over (carryover.demo)
        commune = _unit(spec.tree, Level.COMMUNE, spec.code)
        roster = _Roster(
            rng=rng,
            counter=counter,
            totals=totals,
            commune=commune,
            actor=officers.get((spec.tree, spec.code), admin),
            south=commune.jurisdiction in {"92", "93", "94"},
            khmer_share=0.45 if commune.jurisdiction == "94" else 0.0,
            # Thị trấn Hùng Sơn's change falls in the report window that straddles the
            # reorganisation (15/06 – 14/07/2025): new Xã Lâm Thao's July 2025 report counts
            # this leaver and joiner of its predecessor (the draws keep the sequence).
            straddling=spec.code == "08498",
        )
        records, leaving = _roster_teams(roster, first_day=ROSTER_START[spec.tree])
        _roster_import(roster, records)
        for leaver in leaving:
            _roster_leave_and_replace(roster, *leaver)
    return totals


@dataclass
class _Roster:
    """What the steps of one commune's roster share; `totals` is counted across communes."""

    rng: random.Random
    counter: _Counter
    totals: dict[str, int]
    commune: AdministrativeUnit
    actor: User | None
    south: bool
    khmer_share: float
    straddling: bool


def _roster_teams(roster: _Roster, *, first_day: datetime.date) -> tuple[list[dict], list[tuple]]:
    """One team per area, up to its quota; the import records of its members, and the members
    who will leave (Art. 17(3)): (team, cccd, start, area number)."""
    from . import selectors, services

    rng, counter, commune = roster.rng, roster.counter, roster.commune
    records: list[dict] = []
    leaving: list[tuple] = []
    areas = list(ResidentialArea.objects.filter(commune=commune).order_by("pk"))
    for n, area in enumerate(areas, start=1):
        team = services.team_create(
            commune=commune,
            data=services.TeamData(
                name=f"Tổ bảo vệ ANTT {area.name}",
                areas=[area],
                decision_number=f"{counter.decision}/QĐ-UBND",
                decision_date=first_day,
            ),
            actor=roster.actor,
        )
        counter.decision += 1
        roster.totals["teams"] += 1
        start = first_day + datetime.timedelta(days=rng.randint(0, 14))
        quota = selectors.team_quota(team=team, on=start)
        if quota.members is None:
            size = 3  # Art. 16 composition until the jurisdiction's rule is in the system
            roster.totals["fallback_teams"] += 1
        else:
            size = quota.members
        members = _team_records(roster, team=team, area=area, n=n, start=start, size=size)
        records.extend(members)
        # A few memberships end (Art. 17(3)), each followed by a replacement.
        if n in (3, 6) and len(members) >= 3:
            leaving.append((team, records[-1]["cccd"], start, n))
    return records, leaving


def _team_records(
    roster: _Roster, *, team, area, n: int, start: datetime.date, size: int
) -> list[dict]:
    """The import records of one team's members: a leader, deputies (two from six members),
    members; some hold a concurrent post; one member over 70 (with the commune chair's
    approval, Art. 13(1)) in each commune's second team."""
    from rules.base import TeamRole

    from .models import PERSON_FIELDS

    rng, counter = roster.rng, roster.counter
    roles = [TeamRole.TO_TRUONG, TeamRole.TO_PHO] + [TeamRole.TO_VIEN] * (size - 2)
    if size >= 6:
        roles[2] = TeamRole.TO_PHO
    appointment = f"{counter.decision}/QĐ-UBND"
    counter.decision += 1
    records = []
    for i, role in enumerate(roles):
        posts = _concurrent_posts(rng, role)
        old = n == 2 and i == len(roles) - 1
        person = _person(
            rng,
            counter,
            commune=roster.commune,
            area=area,
            start=start,
            south=roster.south,
            khmer=rng.random() < roster.khmer_share,
            age=72 if old else None,
        )
        records.append(
            {"team": team.name}
            | {e.name: getattr(person, e.name) for e in PERSON_FIELDS}
            | {
                "role": role.value,
                "start_date": start,
                "appointment_number": appointment,
                "appointment_date": start,
                "concurrent_posts": "; ".join(posts),
                "over_70_approval_number": f"{counter.decision}/UBND-CA" if old else "",
                "over_70_approval_date": start if old else None,
            }
        )
    return records


def _concurrent_posts(rng: random.Random, role) -> list[str]:
    from rules.base import ConcurrentPost, TeamRole

    if role == TeamRole.TO_TRUONG and rng.random() < 0.3:
        return [ConcurrentPost.DOI_TRUONG_DAN_PHONG.value]
    if role == TeamRole.TO_PHO and rng.random() < 0.2:
        return [ConcurrentPost.DOI_PHO_DAN_PHONG.value]
    if role == TeamRole.TO_VIEN and rng.random() < 0.15:
        return [
            rng.choice([ConcurrentPost.KHONG_CHUYEN_TRACH_KDC, ConcurrentPost.TRUC_TIEP_KDC]).value
        ]
    return []


def _roster_import(roster: _Roster, records: list[dict]) -> None:
    """The team members of the commune are entered at once, with every check of an import."""
    from . import roster_io

    report = roster_io.import_records(
        commune=roster.commune, records=records, actor=roster.actor, reason="Dữ liệu mẫu"
    )
    if report.errors:
        raise RuntimeError(
            f"Dữ liệu mẫu không hợp lệ ({roster.commune.label}): {report.errors[:3]}"
        )
    roster.totals["members"] += report.created


def _roster_leave_and_replace(
    roster: _Roster, team, cccd: str, start: datetime.date, n: int
) -> None:
    """A membership ends (on application, or for health); a new member follows unless that
    falls after today or after the commune's end."""
    from rules.base import TeamRole

    from . import services
    from .models import EndGround, Membership
    from .validation import MembershipData

    rng, counter, commune = roster.rng, roster.counter, roster.commune
    membership = Membership.objects.get(person__cccd=cccd, end_date__isnull=True)
    end = start + datetime.timedelta(days=rng.randint(120, 280))
    if roster.straddling:
        end = STRADDLING_CHANGE[0]
    services.membership_end(
        membership=membership,
        on=end,
        ground=EndGround.APPLICATION if n == 3 else EndGround.HEALTH,
        decision_number=f"{counter.decision}/QĐ-UBND",
        decision_date=end,
        version=membership.version,
        actor=roster.actor,
    )
    counter.decision += 1
    roster.totals["ended"] += 1
    later = end + datetime.timedelta(days=rng.randint(10, 40))
    if roster.straddling:
        later = STRADDLING_CHANGE[1]
    if later <= min(commune.valid_to or later, datetime.date.today()):
        services.membership_add(
            team=team,
            person=_person(
                rng,
                counter,
                commune=commune,
                area=team.areas.get(),
                start=later,
                south=roster.south,
                khmer=rng.random() < roster.khmer_share,
            ),
            membership=MembershipData(
                role=TeamRole.TO_VIEN.value,
                start_date=later,
                appointment_number=f"{counter.decision}/QĐ-UBND",
                appointment_date=later,
            ),
            actor=roster.actor,
        )
        counter.decision += 1
        roster.totals["members"] += 1


@removal()
def remove_rosters() -> None:
    """Delete the demo communes' teams, memberships, the people who served only there, and
    their history rows."""
    from django.apps import apps

    from .models import Membership, Person, RosterImport, Team

    communes = touched_communes()
    memberships = Membership.objects.filter(team__commune__in=communes)
    person_ids = set(memberships.values_list("person_id", flat=True))
    membership_ids = list(memberships.values_list("pk", flat=True))
    team_ids = list(Team.objects.filter(commune__in=communes).values_list("pk", flat=True))
    memberships.update(transferred_to=None)
    Membership.objects.filter(pk__in=membership_ids).delete()
    Team.objects.filter(pk__in=team_ids).delete()
    orphans = list(
        Person.objects.filter(pk__in=person_ids, memberships__isnull=True).values_list(
            "pk", flat=True
        )
    )
    Person.objects.filter(pk__in=orphans).delete()
    Membership.history.filter(id__in=membership_ids).delete()
    # The history of the teams' areas (simple_history's m2m rows) does not go with the
    # history rows it belongs to: deleted first, by the team.
    team_areas = apps.get_model("teams", "HistoricalTeam_areas")
    team_areas.objects.filter(team_id__in=team_ids).delete()
    Team.history.filter(id__in=team_ids).delete()
    Person.history.filter(id__in=orphans).delete()
    RosterImport.objects.filter(commune__in=communes).delete()
