"""Mediation pages: another unit's ids answer 404 for every URL, the justice officer reaches
every page, parties' names only for the commune and the justice office above, bad input gives
a Vietnamese message and changes nothing, query counts do not grow with the data."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mediation.models import MediationCase, MediationTeam, Mediator, Outcome, ReportState
from tests.access_registry import GET, REGISTRY
from tests.mediation.helpers import MARKER, client_for, record_case, standard_team

D = datetime.date
pytestmark = pytest.mark.django_db
NAMES = sorted(n for n in REGISTRY if n.startswith("mediation-"))


def urls(side, name):
    entry = REGISTRY[name]
    kwargs = entry.kwargs(side)
    return [reverse(name, kwargs=k) for k in (kwargs if isinstance(kwargs, list) else [kwargs])]


@pytest.mark.parametrize("persona", ["tuphap_vt", "canbo_xa1"])
def test_another_units_mediation_objects_are_not_found(side, persona):
    client = client_for(side, persona)
    counts = (
        MediationTeam.objects.count(),
        Mediator.objects.count(),
        MediationCase.objects.count(),
    )
    problems = []
    for name in NAMES:
        entry = REGISTRY[name]
        for url in urls(side, name):
            status = client.get(url).status_code
            if status != (404 if GET in entry.methods else 405):
                problems.append(f"GET {name} → {status}")
            status = client.post(url, entry.data(side)).status_code
            if status not in (403, 404, 405):
                problems.append(f"POST {name} → {status}")
    assert not problems, problems
    assert counts == (
        MediationTeam.objects.count(),
        Mediator.objects.count(),
        MediationCase.objects.count(),
    )


def test_the_justice_officer_reaches_every_page(side):
    client = client_for(side, "tuphap")
    for name in NAMES:
        if GET not in REGISTRY[name].methods:
            continue
        url = urls(side, name)[0]  # the commune's variant (the city is the office's)
        assert client.get(url).status_code == 200, name


def test_parties_only_for_the_commune_and_the_justice_office(side):
    case_url = reverse("mediation-case", args=[side.mediation.case.pk])
    team_url = reverse("mediation-team", args=[side.mediation.team.pk])
    xlsx_url = reverse("mediation-book-xlsx", args=[side.mediation.team.pk])
    for persona, sees in (
        ("tuphap", True),
        ("sotuphap", True),
        ("canbo_ct", False),
        ("taichinh_ct", False),
    ):
        client = client_for(side, persona)
        for url in (case_url, team_url):
            assert (MARKER in client.get(url).content.decode()) is sees, (persona, url)
        book = load_workbook(io.BytesIO(client.get(xlsx_url).content), read_only=True)
        text = repr([list(r) for r in book.worksheets[0].iter_rows(values_only=True)])
        assert (MARKER in text) is sees, persona
    # the police officer may read the book but not change it
    response = client_for(side, "canbo_ct").post(case_url, {"parties": "x"})
    assert response.status_code == 403


def test_a_case_closed_before_it_was_received_shows_the_reason(side):
    client = client_for(side, "tuphap")
    before = MediationCase.objects.count()
    response = client.post(
        reverse("mediation-case-create", args=[side.mediation.team.pk]),
        {
            "received_on": "10/03/2026",
            "origin": "request",
            "case_type": "land",
            "parties": "A – B",
            "content": "Tranh chấp",
            "outcome": "success",
            "agreement": "Thống nhất",
            "closed_on": "09/03/2026",
        },
    )
    assert response.status_code == 200
    assert "không được trước ngày tiếp nhận" in response.content.decode()
    assert MediationCase.objects.count() == before


def test_the_same_person_twice_and_a_minority_leader_are_refused(side):
    client = client_for(side, "tuphap")
    team = side.mediation.team
    person = side.mediation.mediator.person
    response = client.post(reverse("mediation-mediator-add", args=[team.pk]), {"cccd": person.cccd})
    assert "đã là hòa giải viên" in response.content.decode()
    response = client.post(
        reverse("mediation-election", args=[team.pk]),
        {"mediator": side.mediation.mediator.pk, "held_on": "01/08/2025", "votes": "1"},
        follow=True,
    )
    assert "quá 50 %" in response.content.decode()
    assert not team.elections.exists()


def test_bad_ids_and_years_are_404(side):
    client = client_for(side, "tuphap")
    assert client.get(reverse("mediation-team", args=[999999])).status_code == 404
    assert client.get(reverse("mediation-report", args=[side.commune.pk, 1900])).status_code == 404
    assert (
        client.get(
            reverse("mediation-statistics", args=[side.commune.pk]), {"ky": "quy", "nam": "2026"}
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("mediation-home", args=[side.commune.pk]), {"nam": "abc"}).status_code
        == 200
    )


def test_send_and_receive_the_yearly_report(side):
    url = reverse("mediation-report", args=[side.commune.pk, 2026])
    response = client_for(side, "tuphap").post(
        url, {"action": "send", "summary": "Tốt"}, follow=True
    )
    assert "Sở Tư pháp Thành phố Cần Thơ" in response.content.decode()
    report = side.commune.mediation_reports.get(year=2026)
    assert report.state == ReportState.SENT
    client_for(side, "sotuphap").post(url, {"action": "receive", "seen_state": "sent"})
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED
    upper = client_for(side, "sotuphap").get(reverse("mediation-home", args=[side.upper.pk]))
    assert "Xã Mỹ Tú" in upper.content.decode()


def _grow(side, n):
    officer = side.users["tuphap"]
    for i in range(n):
        team, mediators = standard_team(side.commune, side.area, officer, name=f"Tổ thêm {n}-{i}")
        for _j in range(3):
            record_case(team, officer, mediators, outcome=Outcome.SUCCESS, closed=D(2026, 3, 5))


def test_query_counts_do_not_grow(side, django_assert_max_num_queries):
    client = client_for(side, "sotuphap")  # sees the commune and the city
    team_url = reverse("mediation-team", args=[side.mediation.team.pk])
    home = reverse("mediation-home", args=[side.commune.pk])
    upper = reverse("mediation-home", args=[side.upper.pk])
    for n in (1, 6):
        _grow(side, n)
        for url in (home, team_url, upper):
            with django_assert_max_num_queries(24):
                assert client.get(url).status_code == 200
