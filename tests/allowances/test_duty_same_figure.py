"""Issue 12 item 2 for duty stipends: Hải Dương's rate starts on 21/12/2024, so December 2024
pays each day at the rate in force on it. The monthly run, `manage.py rules duty` and the web
calculator give the same figure for the same duty days."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from allowances import services
from allowances.models import LineKind
from rules.base import DutyKind
from teams.models import UnitKind
from tests.builders import add_member, make_area, make_team, make_unit, person_data, sign_in

D = datetime.date
DEC_2024 = D(2024, 12, 1)
DAYS = (20, 21, 22)  # the day before the rate starts, the day it starts, the day after
EXPECTED = 2 * 50_000


@pytest.fixture
def hai_duong_member(roster):
    province = make_unit("30", "Tỉnh Hải Dương", UnitKind.TINH)
    district = make_unit("288", "Huyện Gia Lộc", UnitKind.HUYEN, parent=province)
    commune = make_unit("10750", "Xã Gia Tiến", UnitKind.XA, parent=district)
    team = make_team(commune, "Tổ bảo vệ ANTT Thôn 1", make_area(commune, "Thôn 1", 300))
    person = person_data(full_name="Vũ Văn Trực", province="030")
    membership = add_member(team, person=person, role="to_vien", start_date=D(2024, 7, 1))
    for day in DAYS:
        services.duty_entry_add(
            data=services.DutyData(membership, D(2024, 12, day), DutyKind.DAY),
            actor=roster.users["admin"],
        )
    return commune


def test_the_run_pays_the_days_from_the_start_of_the_rate(roster, hai_duong_member):
    run = services.allowance_run_compute(
        commune=hai_duong_member, month=DEC_2024, actor=roster.users["admin"]
    )
    line = run.lines.get(kind=LineKind.DUTY)
    assert not line.error, line.error
    assert line.amount == EXPECTED
    labels = [step["label"] for step in line.snapshot.trace]
    assert "Từ 01/12/2024 đến 20/12/2024 · Ngày làm nhiệm vụ" in labels
    assert "Từ 21/12/2024 đến 31/12/2024 · Ngày làm nhiệm vụ" in labels


def test_the_command_and_the_web_calculator_give_the_same_figure(
    client, roster, hai_duong_member, capsys
):
    run = services.allowance_run_compute(
        commune=hai_duong_member, month=DEC_2024, actor=roster.users["admin"]
    )
    line = run.lines.get(kind=LineKind.DUTY)

    call_command(
        "rules", "duty", "--jurisdiction", "30", "--month", "2024-12", "--day", "20", "21-22"
    )
    command = json.loads(capsys.readouterr().out)
    assert command["amount"] == line.amount == EXPECTED
    assert command["trace"] == line.snapshot.trace

    sign_in(client, roster.users["admin"])
    page = client.get(
        reverse("rules-calculator"),
        {
            "calc": "duty",
            "duty-jurisdiction": "30",
            "duty-month": "12/2024",
            "duty-day": "20, 21-22",
        },
    )
    assert page.context["result"] == command
    html = page.content.decode()
    assert "100.000 đ" in html and "mức áp dụng từ 21/12/2024" in html


def test_bad_days_are_a_field_error_on_the_page(client, roster, db_params):
    sign_in(client, roster.users["admin"])
    page = client.get(
        reverse("rules-calculator"),
        {"calc": "duty", "duty-jurisdiction": "30", "duty-month": "12/2024", "duty-day": "32"},
    )
    assert page.status_code == 200 and page.context["result"] is None
    errors = page.context["forms"]["duty"].errors["day"]
    assert "từ 1 đến 31" in errors[0]


def test_the_command_refuses_a_day_outside_the_month(roster, capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("rules", "duty", "--jurisdiction", "30", "--month", "2025-02", "--day", "30")
    assert exit.value.code == 2
    assert "từ 1 đến 28" in json.loads(capsys.readouterr().out)["error"]
