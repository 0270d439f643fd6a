"""Correcting a mediation team and ending a mediator's service, through the pages: what is
saved, what is refused with a Vietnamese message (and nothing changed), the leader who ends
their service, and the pages' query counts. Another unit's ids (404) and the access registry are
covered for every mediation URL by tests/mediation/test_views.py and tests/test_access_audit.py.
"""

import datetime

import pytest
from django.urls import reverse

from mediation import selectors, services
from mediation.models import MediationTeam, Mediator, Outcome
from tests.builders import make_area
from tests.mediation.helpers import client_for, record_case

D = datetime.date
pytestmark = pytest.mark.django_db


def _team_form(side, **changes):
    team = side.mediation.team
    data = {
        "area": team.area_id,
        "name": team.name,
        "decision_number": team.decision_number,
        "decision_date": f"{team.decision_date:%d/%m/%Y}",
    }
    data.update(changes)
    return data


def _team_state(team):
    team = MediationTeam.objects.get(pk=team.pk)
    return (team.name, team.area_id, team.decision_number, team.decision_date)


def test_the_justice_officer_corrects_a_team(side):
    client = client_for(side, "tuphap")
    team = side.mediation.team
    other_area = make_area(side.commune, "Ấp Mỹ Thuận", 250)
    url = reverse("mediation-team-edit", args=[team.pk])
    page = client.get(url).content.decode()
    assert team.name in page and team.decision_number in page
    response = client.post(
        url,
        _team_form(side, name="  Tổ hòa giải   ấp Mỹ Thuận ", area=other_area.pk,
                   decision_number="12a/QĐ-UBND", decision_date="01/07/2025"),
        follow=True,
    )  # fmt: skip
    assert "Đã lưu thông tin Tổ hòa giải." in response.content.decode()
    assert _team_state(team) == ("Tổ hòa giải ấp Mỹ Thuận", other_area.pk, "12a/QĐ-UBND",
                                 D(2025, 7, 1))  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Chưa nhập tên Tổ hòa giải."),
        ({"decision_number": ""}, "Chưa nhập số quyết định thành lập"),
        ({"decision_date": ""}, "Chưa nhập ngày quyết định thành lập."),
        ({"decision_date": "31/02/2026"}, "Ngày"),  # no such day: the date field says so
        ({"decision_date": "03/03/2026"}, "Tổ đã tiếp nhận vụ việc từ ngày 02/03/2026"),
        ({"decision_date": "19/07/2025"}, "Tổ đã có hòa giải viên được công nhận ngày 18/07/2025"),
        ({"area": ""}, "Chọn khu dân cư của Tổ hòa giải."),
        ({"area": "999999"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"name": "Tổ hòa giải khác"}, "Xã đã có Tổ hòa giải tên «Tổ hòa giải khác»."),
    ],
)
def test_a_bad_team_correction_is_refused_and_nothing_changes(side, changes, message):
    team = side.mediation.team
    services.team_save(
        commune=side.commune,
        data=services.TeamData(area=side.area, name="Tổ hòa giải khác", decision_number="9/QĐ",
                               decision_date=D(2025, 7, 10)),
        actor=side.users["tuphap"],
    )  # fmt: skip
    before = _team_state(team)
    response = client_for(side, "tuphap").post(
        reverse("mediation-team-edit", args=[team.pk]), _team_form(side, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _team_state(team) == before


def test_another_communes_area_is_not_offered(side, world):
    team = side.mediation.team
    foreign = world.areas["tien_kien_1"]
    client = client_for(side, "tuphap")
    assert (
        foreign.name
        not in client.get(reverse("mediation-team-edit", args=[team.pk])).content.decode()
    )
    client.post(reverse("mediation-team-edit", args=[team.pk]), _team_form(side, area=foreign.pk))
    assert MediationTeam.objects.get(pk=team.pk).area_id == side.area.pk


def _end(side, mediator, **data):
    return client_for(side, "tuphap").post(
        reverse("mediation-mediator-end", args=[mediator.pk]),
        {"ended_on": "01/06/2026", "end_reason": "Chuyển nơi cư trú", **data},
        follow=True,
    )


def _ended(mediator):
    m = Mediator.objects.get(pk=mediator.pk)
    return (m.ended_on, m.end_reason)


def test_a_mediator_ends_their_service(side):
    mediator = side.mediation.mediator
    page = client_for(side, "tuphap").get(reverse("mediation-mediator-end", args=[mediator.pk]))
    assert "Điều 11" in page.content.decode()
    response = _end(side, mediator, end_reason="  Tự nguyện   xin thôi ")
    text = response.content.decode()
    assert "Đã ghi việc thôi làm hòa giải viên" in text
    assert _ended(mediator) == (D(2026, 6, 1), "Tự nguyện xin thôi")
    [row] = [r for r in selectors.team_rows(commune=side.commune, year=2026)
             if r.team.pk == mediator.team_id]  # fmt: skip
    assert row.mediators == 2  # and the team is now below the composition rule
    assert any("cần ít nhất 3" in p for p in row.problems), row.problems
    detail = client_for(side, "tuphap").get(reverse("mediation-mediator", args=[mediator.pk]))
    assert "Tự nguyện xin thôi" in detail.content.decode()
    again = _end(side, mediator, ended_on="02/06/2026")
    assert "đã thôi làm hòa giải viên từ ngày 01/06/2026" in again.content.decode()
    assert _ended(mediator) == (D(2026, 6, 1), "Tự nguyện xin thôi")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ended_on": ""}, "Chưa nhập ngày thôi làm hòa giải viên."),
        ({"end_reason": "   "}, "Cần ghi lý do thôi làm hòa giải viên."),
        ({"ended_on": "17/07/2025"}, "không được trước ngày bắt đầu làm hòa giải viên (18/07/2025"),
        ({"ended_on": "01/01/2099"}, "Ngày thôi không được sau ngày hôm nay."),
        ({"ended_on": "01/01/2999"}, "không hợp lý"),
        ({"ended_on": "1/13/2026"}, "Ngày"),
    ],
)
def test_a_bad_end_is_refused_and_nothing_changes(side, data, message):
    mediator = side.mediation.mediator
    response = _end(side, mediator, **data)
    assert message in response.content.decode()
    assert _ended(mediator) == (None, "")


def test_a_mediator_on_an_open_case_is_replaced_there_first(side):
    team, mediator = side.mediation.team, side.mediation.mediator
    mediators = list(team.mediators.all())
    case = record_case(team, side.users["tuphap"], mediators, received=D(2026, 5, 4))
    response = _end(side, mediator)
    assert (
        f"đang được phân công vụ việc chưa kết thúc (số {case.number})" in response.content.decode()
    )
    assert _ended(mediator) == (None, "")
    services.mediator_replace(case=case, mediator=mediator, reason="Người thân của một bên",
                              actor=side.users["tuphap"])  # fmt: skip
    _end(side, mediator)
    assert _ended(mediator)[0] == D(2026, 6, 1)


def test_a_leader_who_ends_their_service_leads_no_more(side):
    team, mediator = side.mediation.team, side.mediation.mediator
    services.leader_elect(
        team=team,
        data=services.ElectionData(mediator=mediator, held_on=D(2025, 8, 1), votes=3,
                                   is_party_secretary=True),
        actor=side.users["tuphap"],
    )  # fmt: skip
    window = selectors.year_window(2026)
    assert selectors.indicators(unit=side.commune, window=window).secretary.numerator == 1
    _end(side, mediator)
    page = client_for(side, "tuphap").get(reverse("mediation-team", args=[team.pk]))
    assert "cần bầu Tổ trưởng mới" in page.content.decode()
    assert selectors.indicators(unit=side.commune, window=window).secretary.numerator == 0
    # the year before the end still counts the leader
    assert (
        selectors.indicators(
            unit=side.commune, window=selectors.year_window(2025)
        ).secretary.numerator
        == 1
    )


def test_the_edit_pages_take_the_same_number_of_queries(side, django_assert_max_num_queries):
    client = client_for(side, "tuphap")
    team, mediator = side.mediation.team, side.mediation.mediator
    officer = side.users["tuphap"]
    mediators = list(team.mediators.all())
    for n in (1, 8):
        for i in range(n):
            make_area(side.commune, f"Ấp thêm {n}-{i}", 100)
            record_case(team, officer, mediators, outcome=Outcome.SUCCESS, closed=D(2026, 3, 5))
        for url in (
            reverse("mediation-team-edit", args=[team.pk]),
            reverse("mediation-mediator-end", args=[mediator.pk]),
        ):
            with django_assert_max_num_queries(12):
                assert client.get(url).status_code == 200
