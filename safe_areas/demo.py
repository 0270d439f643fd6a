"""Demo of the "An toàn về an ninh, trật tự" work (README, section and demo users).

Xã Kon Braih (Quảng Ngãi, the seed 003 commune, from old Kon Tum) gets six villages, its
officer, its People's Committee leader and the Quảng Ngãi police: the 2025 year is complete
(five villages recognised, Thôn 4 not, because of a recorded dispute; a school and an agency;
three self-management models; the commune recognised by the province), and the 2026 year is
open today (self-assessments to send, one reviewed village waiting for the decision). Xã Mỹ Tú
(Cần Thơ, already in the demo) gets its 2025 year too, so the city police see their communes.

The steps go through the services, as an officer would take them; the demo then dates the
action rows as the steps would have been taken (after the period ended), because today is the
only day the services know.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from teams.demo import demo_password_hash, removal
from teams.models import (
    AdministrativeUnit,
    AreaKind,
    Assignment,
    Level,
    ResidentialArea,
    Role,
    Tree,
    User,
)

from . import services
from .models import (
    AreaYear,
    AreaYearAction,
    CommuneYear,
    CommuneYearAction,
    Establishment,
    ModelField,
    SelfManagementModel,
)

D = datetime.date
KON_BRAIH = "23497"  # Xã Kon Braih, Tỉnh Quảng Ngãi (from old Kon Tum, 62)
QUANG_NGAI = "51"
MY_TU = "31567"

VILLAGES = [  # names are the demo's (the plan does not list its villages)
    ("Thôn 1", 182),
    ("Thôn 2", 214),
    ("Thôn 3", 156),
    ("Thôn 4", 241),
    ("Thôn 5", 128),
    ("Thôn 6", 197),
]

USERS = [
    # username, first, last, role, level, code, title
    ("canbo_konbraih", "Hùng", "A", Role.COMMUNE_OFFICER, Level.COMMUNE, KON_BRAIH,
     "Cán bộ Công an xã Kon Braih"),
    ("lanhdao_konbraih", "Thanh", "Y", Role.COMMUNE_LEADER, Level.COMMUNE, KON_BRAIH,
     "Chủ tịch UBND xã Kon Braih"),
    ("congan_quangngai", "Khoa", "Lê Đăng", Role.PROVINCIAL_POLICE, Level.PROVINCE, QUANG_NGAI,
     "Cán bộ Phòng Xây dựng phong trào toàn dân bảo vệ ANTQ, Công an tỉnh Quảng Ngãi"),
    ("lanhdao_mytu", "Vinh", "Lâm Quang", Role.COMMUNE_LEADER, Level.COMMUNE, MY_TU,
     "Phó Chủ tịch UBND xã Mỹ Tú"),
]  # fmt: skip
USERNAMES = [u[0] for u in USERS]


def _unit(level: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=level, code=code)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _date_last_action(area_year: AreaYear, day: datetime.date) -> None:
    action = area_year.actions.order_by("-at", "-pk").first()
    if action is not None:
        AreaYearAction.objects.filter(pk=action.pk).update(at=_at(day))


def _year(area, year, *, officer, households=None, on=None):
    area_year = services.area_year_register(
        area=area,
        year=year,
        data=services.RegistrationData(
            resolution_number=f"0{area.pk % 9 + 1}-NQ/CB",
            resolution_date=on or D(year, 1, 9),
            registered_on=(on or D(year, 1, 9)) + datetime.timedelta(days=5),
            households_registered=area.households if households is None else households,
        ),
        actor=officer,
    )
    _date_last_action(area_year, (on or D(year, 1, 9)) + datetime.timedelta(days=5))
    return area_year


def _assess(area_year, *, officer, day, notes="Biên bản họp khu dân cư ngày {d}"):
    from rules.safe_areas import Kind

    from . import selectors

    answers = {
        c.code: (True, notes.format(d=day.strftime("%d/%m/%Y")))
        for c in selectors.area_criteria(area_year.commune, area_year.year)
        if c.kind != Kind.REGISTRATION
    }
    services.area_assess(area_year=area_year, answers=answers, actor=officer)
    _date_last_action(area_year, day)


def _review(area_year, *, officer, day):
    services.area_year_transition(area_year=area_year, action="review", actor=officer)
    _date_last_action(area_year, day)


def _decide(area_year, *, leader, day, number, signer, recognise=True, comment=""):
    services.area_year_transition(
        area_year=area_year,
        action="recognise" if recognise else "not_recognise",
        actor=leader,
        comment=comment,
        decision=services.DecisionData(number, day, signer),
    )
    _date_last_action(area_year, day)


def _users() -> dict[str, User]:
    users = {}
    for username, first, last, role, level, code, title in USERS:
        user = User.objects.create(
            username=username,
            password=demo_password_hash(),  # hashed once for all demo users
            first_name=first,
            last_name=last,
            email=f"{username}@antt-demo.example",
        )
        Assignment.objects.create(user=user, unit=_unit(level, code), role=role, title=title)
        users[username] = user
    return users


@transaction.atomic
def seed_safe_areas(*, rng: random.Random) -> dict[str, int]:
    """Seed in this order (the random draws and the ids follow it): users, Kon Braih's villages,
    their complete 2025 (with the two establishments, the self-management models and the
    commune's own recognition), their open 2026, then Xã Mỹ Tú's 2025."""
    users = _users()
    officer, leader = users["canbo_konbraih"], users["lanhdao_konbraih"]
    kon_braih = _unit(Level.COMMUNE, KON_BRAIH)
    areas = _villages(rng, kon_braih)
    years = _kon_braih_2025(areas, officer=officer, leader=leader)
    _establishments(kon_braih)
    _self_management_models(areas, officer=officer)
    _commune_year_2025(kon_braih, officer=officer, police=users["congan_quangngai"])
    years26 = _kon_braih_2026(areas, officer=officer)
    count = len(years) + len(years26) + _my_tu_2025(leader=users["lanhdao_mytu"])
    return {"area_years": count, "models": SelfManagementModel.objects.count(),
            "establishments": Establishment.objects.count()}  # fmt: skip


def _villages(rng: random.Random, kon_braih: AdministrativeUnit) -> list[ResidentialArea]:
    areas = []
    for name, households in VILLAGES:
        area, _created = ResidentialArea.objects.get_or_create(
            commune=kon_braih,
            name=name,
            defaults={"kind": AreaKind.THON, "households": households,
                      "residents": households * rng.randint(40, 46) // 10},
        )  # fmt: skip
        areas.append(area)
    return areas


def _kon_braih_2025(areas: list[ResidentialArea], *, officer: User, leader: User) -> list[AreaYear]:
    """2025, complete: every village registered, assessed, reviewed and decided; Thôn 4 not
    recognised (a long land dispute)."""
    years = [_year(a, 2025, officer=officer, on=D(2025, 1, 8 + i)) for i, a in enumerate(areas)]
    services.area_event_record(
        area_year=years[3],
        criterion="KDC-3e",
        occurred_on=D(2025, 6, 14),
        description=(
            "Tranh chấp đất rẫy giữa hai dòng họ kéo dài, nhiều lần tụ tập đông người; đã hòa "
            "giải không thành, chuyển UBND xã giải quyết."
        ),
        actor=officer,
    )
    for i, area_year in enumerate(years):
        _assess(area_year, officer=officer, day=D(2025, 11, 4 + i % 3))
        _review(area_year, officer=officer, day=D(2025, 11, 18))
    for i, area_year in enumerate(years):
        if i == 3:
            _decide(area_year, leader=leader, day=D(2025, 12, 2), number="214/QĐ-UBND",
                    signer="Y Thanh", recognise=False,
                    comment="Chưa đạt tiêu chí KDC-3e: tranh chấp đất rẫy kéo dài.")  # fmt: skip
        else:
            _decide(area_year, leader=leader, day=D(2025, 12, 2), number="213/QĐ-UBND",
                    signer="Y Thanh")  # fmt: skip
    return years


def _establishments(kon_braih: AdministrativeUnit) -> None:
    """The school (recognised for 2025) and the health station (not); both registered for 2026,
    no decision yet."""
    school = services.establishment_save(
        commune=kon_braih, name="Trường Tiểu học và THCS Kon Braih", kind="school",
        address="Thôn 2",
    )  # fmt: skip
    office = services.establishment_save(
        commune=kon_braih, name="Trạm Y tế xã Kon Braih", kind="agency", address="Thôn 1"
    )
    for est in (school, office):
        y = services.establishment_year_register(
            establishment=est, year=2025, registered_on=D(2025, 1, 20)
        )
        services.establishment_year_decide(
            establishment_year=y,
            recognised=est is school,
            decision=services.DecisionData("215/QĐ-UBND", D(2025, 12, 2), "Y Thanh"),
        )
    # 2026: both registered, no decision yet
    for est in (school, office):
        services.establishment_year_register(
            establishment=est, year=2026, registered_on=D(2026, 1, 19)
        )


def _self_management_models(areas: list[ResidentialArea], *, officer: User) -> None:
    models = [
        (areas[0], "Tổ tự quản về an ninh, trật tự Thôn 1", ModelField.SECURITY, D(2024, 3, 1),
         170, ("09/QĐ-TTĐ", D(2024, 6, 10))),
        (areas[1], "Camera an ninh Thôn 2", ModelField.SECURITY, D(2025, 4, 1), 200,
         ("17/QĐ-TTĐ", D(2025, 7, 1))),
        (areas[2], "Tổ liên gia phòng cháy, chữa cháy rừng", ModelField.FIRE, D(2025, 2, 15), 150,
         None),
        (areas[4], "Đoạn đường tự quản an toàn giao thông", ModelField.TRAFFIC, D(2025, 5, 1),
         128, None),
    ]  # fmt: skip
    for area, name, field, start, signed, recognition in models:
        model = services.model_save(
            area=area,
            data=services.ModelData(name=name, field=field, started_on=start,
                                    households_signed=signed),
            actor=officer,
        )  # fmt: skip
        if recognition:
            services.model_recognise(model=model, number=recognition[0], on=recognition[1])


def _commune_year_2025(kon_braih: AdministrativeUnit, *, officer: User, police: User) -> None:
    """The commune's own 2025: registered, assessed, recognised by the province."""
    commune_year = services.commune_year_register(
        commune=kon_braih,
        year=2025,
        data=services.CommuneRegistrationData(
            party_resolution_number="05-NQ/ĐU", party_resolution_date=D(2025, 1, 6),
            plan_number="12/KH-UBND", plan_date=D(2025, 1, 10), registered_on=D(2025, 1, 15),
        ),
        actor=officer,
    )  # fmt: skip
    services.commune_year_assess(
        commune_year=commune_year, disciplined_officers=0, criteria_met=True,
        evidence="Báo cáo tổng kết công tác bảo đảm ANTT năm 2025 của Công an xã.",
        actor=officer,
    )  # fmt: skip
    services.commune_year_transition(
        commune_year=commune_year,
        action="recognise",
        actor=police,
        decision=services.DecisionData("1520/QĐ-UBND", D(2025, 12, 20), "Chủ tịch UBND tỉnh"),
    )
    for action, day in zip(
        commune_year.actions.order_by("pk"),
        (D(2025, 1, 15), D(2025, 11, 20), D(2025, 12, 20)),
        strict=True,
    ):
        CommuneYearAction.objects.filter(pk=action.pk).update(at=_at(day))  # fmt: skip


def _kon_braih_2026(areas: list[ResidentialArea], *, officer: User) -> list[AreaYear]:
    """2026, open today: every village registered, two on their way."""
    years26 = [
        _year(a, 2026, officer=officer, on=D(2026, 1, 12 + i),
              households=a.households - (7 if i == 5 else 0))
        for i, a in enumerate(areas)
    ]  # fmt: skip
    _assess(years26[0], officer=officer, day=D(2026, 11, 5))
    _review(years26[0], officer=officer, day=D(2026, 11, 20))  # waits for the leader
    _assess(years26[1], officer=officer, day=D(2026, 11, 6))  # waits for the commune's review
    # Thôn 3–6 still have to self-assess (Thôn 6 registered 190/197 households)
    return years26


def _my_tu_2025(*, leader: User) -> int:
    """Xã Mỹ Tú, Cần Thơ (when its officer is seeded): its hamlets' 2025, one in three left at
    registration, and a self-management model. The count of area years."""
    my_tu = _unit(Level.COMMUNE, MY_TU)
    ct_officer = User.objects.filter(username="canbo_ct").first()
    count = 0
    if ct_officer is not None:
        for i, area in enumerate(ResidentialArea.objects.filter(commune=my_tu).order_by("name")):
            area_year = _year(area, 2025, officer=ct_officer, on=D(2025, 2, 3 + i))
            count += 1
            if i % 3 == 2:
                continue  # registered, self-assessment not sent
            _assess(area_year, officer=ct_officer, day=D(2025, 11, 10))
            _review(area_year, officer=ct_officer, day=D(2025, 11, 24))
            _decide(area_year, leader=leader, day=D(2025, 12, 8), number="88/QĐ-UBND",
                    signer="Lâm Quang Vinh")  # fmt: skip
    first_area = ResidentialArea.objects.filter(commune=my_tu).order_by("name").first()
    if ct_officer is not None and first_area is not None:
        services.model_save(
            area=first_area,
            data=services.ModelData(name="Tổ tự quản ANTT ấp", field=ModelField.SECURITY,
                                    started_on=D(2024, 8, 1),
                                    households_signed=min(300, first_area.households)),
            actor=ct_officer,
        )  # fmt: skip
    return count


@removal()
def remove_safe_areas() -> None:
    communes = [_unit(Level.COMMUNE, KON_BRAIH), _unit(Level.COMMUNE, MY_TU)]
    CommuneYear.objects.filter(commune__in=communes).delete()
    AreaYear.objects.filter(commune__in=communes).delete()
    SelfManagementModel.objects.filter(commune__in=communes).delete()
    Establishment.objects.filter(commune__in=communes).delete()
    villages = ResidentialArea.objects.filter(commune=communes[0])
    village_ids = list(villages.values_list("pk", flat=True))
    villages.delete()
    # Like teams.demo.remove_demo: a reset leaves no history of the demo's villages behind.
    ResidentialArea.history.filter(id__in=village_ids).delete()
    User.objects.filter(username__in=USERNAMES).delete()
