"""Builders for mediation tests: teams, mediators and cases through the services."""

from __future__ import annotations

import datetime

from mediation import services
from mediation.models import Outcome
from tests.builders import cccd_for, person_data, sign_in

D = datetime.date
JUL_14, JUL_18, MAR_2 = D(2025, 7, 14), D(2025, 7, 18), D(2026, 3, 2)


def make_team(commune, area, name="Tổ hòa giải ấp Mỹ Phú", actor=None):
    return services.team_save(
        commune=commune,
        data=services.TeamData(area=area, name=name, decision_number="12/QĐ-UBND",
                               decision_date=D(2025, 7, 10)),
        actor=actor,
    )  # fmt: skip


def add_mediator(team, actor, *, sex="nam", name="Lâm Văn Tám", received=JUL_14,
                 decided=JUL_18, person=None):  # fmt: skip
    if person is None:
        birth = D(1975, 5, 5)
        person = person_data(full_name=name, sex=sex, birth_date=birth,
                             cccd=cccd_for(birth, sex, "094"))  # fmt: skip
    return services.mediator_add(
        team=team,
        data=services.MediatorData(person=person, list_received_on=received,
                                   decision_number="15/QĐ-UBND" if decided else "",
                                   decision_date=decided),
        actor=actor,
    )  # fmt: skip


def standard_team(commune, area, actor, name="Tổ hòa giải ấp Mỹ Phú"):
    team = make_team(commune, area, name, actor)
    mediators = [
        add_mediator(team, actor, name="Thạch Văn Sơn"),
        add_mediator(team, actor, name="Lý Thị Hoa", sex="nu"),
        add_mediator(team, actor, name="Trần Văn Bảy"),
    ]
    return team, mediators


def record_case(team, actor, mediators, *, received=MAR_2, outcome=Outcome.OPEN,
                closed=None, parties="Ông Lâm Văn A – bà Thạch Thị B, ấp Mỹ Phú", **extra):  # fmt: skip
    data = services.CaseData(
        received_on=received,
        origin=extra.pop("origin", "request"),
        parties=parties,
        case_type=extra.pop("case_type", "land"),
        content=extra.pop("content", "Tranh chấp ranh giới đất"),
        mediators=list(mediators),
        assigned_on=extra.pop("assigned_on", received),
        started_on=extra.pop("started_on", received),
        outcome=outcome,
        agreement=extra.pop(
            "agreement", "Hai bên thống nhất cắm lại mốc" if outcome == Outcome.SUCCESS else ""
        ),
        closed_on=closed,
        **extra,
    )
    return services.case_save(team=team, data=data, actor=actor)


# --- One commune's mediation pages (tests/mediation/conftest.py: the `side` fixture) ---------

MARKER = "Lâm Thị Bí Mật"  # a party's name that appears only in Mỹ Tú's case book


class Side:
    """Mỹ Tú's mediation objects (tests/mediation/audit.py) and the personas around them."""

    def __init__(self, world):
        from teams.models import Role
        from tests.builders import make_user
        from tests.mediation.audit import build

        u = world.units
        self.commune, self.upper, self.area = u["my_tu"], u["ct"], world.areas["my_tu_1"]
        self.users = {
            "tuphap": make_user("tuphap", (Role.JUSTICE_OFFICER, u["my_tu"])),
            "tuphap_vt": make_user("tuphap_vt", (Role.JUSTICE_OFFICER, u["vi_thuy"])),
            "sotuphap": make_user("sotuphap", (Role.JUSTICE_OFFICE, u["ct"])),
            "canbo_ct": world.users["canbo_ct"],
            "taichinh_ct": world.users["taichinh_ct"],
            "canbo_xa1": world.users["canbo_xa1"],
        }
        self.mediation = build(
            commune=self.commune, area=self.area, officer=self.users["tuphap"], marker=MARKER
        )

        class _M:  # what the access registry's roster entries read (`membership.person`)
            person = self.mediation.mediator.person

        self.membership = _M


def client_for(side, name):
    from django.test import Client

    client = Client()
    sign_in(client, side.users[name])
    return client
