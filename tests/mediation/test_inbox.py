"""The mediation work in the inbox: the justice officer's open cases and report to send, the
commune finance officer's list to approve, the justice office's report to receive; nothing of
another commune; a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from core.inbox import work_for
from mediation import services
from mediation.inbox import mediation_work
from mediation.models import MediationPlan
from rules.models import Parameter
from teams.models import Role
from tests.builders import make_user, sign_in
from tests.mediation.helpers import record_case, standard_team

D = datetime.date
TODAY = D(2026, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world, db_params):
    u = world.units
    users = {
        "tuphap": make_user("tuphap", (Role.JUSTICE_OFFICER, u["my_tu"])),
        "tuphap_vt": make_user("tuphap_vt", (Role.JUSTICE_OFFICER, u["vi_thuy"])),
        "sotuphap": make_user("sotuphap", (Role.JUSTICE_OFFICE, u["ct"])),
        "taichinh_ct": world.users["taichinh_ct"],
    }
    MediationPlan.objects.create(
        unit=u["my_tu"],
        number="127/KH-UBND",
        signed_on=D(2021, 11, 16),
        title="Hòa giải",
        issuer="UBND huyện",
        first_year=2021,
        last_year=2030,
        consolidated_target=95,
        success_target=85,
        secretary_target=100,
    )
    team, mediators = standard_team(u["my_tu"], world.areas["my_tu_1"], users["tuphap"])
    record_case(team, users["tuphap"], mediators)  # open
    record_case(
        team,
        users["tuphap"],
        mediators,
        outcome="success",
        closed=D(2026, 8, 10),
        received=D(2026, 8, 1),
    )
    return world, users, team


def shown(user, today=TODAY):
    return [
        (str(i.title), i.unit_name, str(i.action))
        for i in work_for(user, today).items
        if str(i.group) == "Hòa giải ở cơ sở"
    ]


def test_each_role_sees_its_mediation_work(setup, client):
    _world, users, team = setup
    officer = shown(users["tuphap"])
    assert (f"{team.name}: 1 vụ việc đang giải quyết", "Xã Mỹ Tú", "Ghi kết quả khi kết thúc") in (
        officer
    )
    # One open case: the item opens it; a second one in the team: the team's case book.
    (case_item,) = [i for i in work_for(users["tuphap"], TODAY).items if "vụ việc" in str(i.title)]
    open_case = team.cases.get(outcome="open")
    assert case_item.url == reverse("mediation-case", args=[open_case.pk])
    record_case(team, users["tuphap"], list(team.mediators.all()))
    (case_item,) = [i for i in work_for(users["tuphap"], TODAY).items if "vụ việc" in str(i.title)]
    assert case_item.url == reverse("mediation-team", args=[team.pk])
    assert str(case_item.title) == f"{team.name}: 2 vụ việc đang giải quyết"
    report = next(i for i in work_for(users["tuphap"], TODAY).items if "Báo cáo" in str(i.title))
    assert report.due == D(2026, 11, 14) and report.late
    assert shown(users["tuphap_vt"]) == []
    payment_list = services.payment_list_compute(
        commune=team.commune, quarter=D(2026, 7, 1), actor=users["tuphap"]
    )
    # The quarter is named once: "… quý 3/2026", not "… quý Quý 3/2026".
    assert ("Thù lao hòa giải viên quý 3/2026", "Xã Mỹ Tú", "Gửi duyệt") in shown(
        users["tuphap"]
    ), payment_list
    sign_in(client, users["tuphap"])
    page = client.get(reverse("mediation-payment", args=[payment_list.pk])).content.decode()
    assert "Thù lao hòa giải viên quý 3/2026" in page and "quý bắt đầu" not in page
    Parameter.objects.create(
        key="mediation.per_case",
        jurisdiction="94",
        value="150000",
        unit="vnd",
        effective_from=D(2025, 1, 1),
        citation="NQ thử",
    )
    payment_list = services.payment_list_compute(
        commune=team.commune, quarter=D(2026, 7, 1), actor=users["tuphap"]
    )
    services.payment_list_transition(
        payment_list=payment_list, action="submit", actor=users["tuphap"]
    )
    assert any("Phê duyệt" in a for t, _u, a in shown(users["taichinh_ct"]) if "Thù lao" in t)
    report = services.report_get(unit=team.commune, year=2026)
    services.report_transition(
        report=report, action="send", actor=users["tuphap"], on=D(2026, 11, 12)
    )
    assert not any("Báo cáo" in t for t, _u, _a in shown(users["tuphap"]))
    assert any("Tiếp nhận" in a for t, _u, a in shown(users["sotuphap"]) if "Báo cáo" in t)


def test_the_provider_costs_a_fixed_number_of_queries(setup, django_assert_max_num_queries):
    _world, users, _team = setup
    for user in users.values():
        with django_assert_max_num_queries(8):
            list(mediation_work(user, TODAY))
