"""The web calculator: login required, any assigned person computes, same numbers as the command."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

URL = reverse("rules-calculator")


@pytest.fixture
def loaded(db_params):
    """The shipped parameters as `load_parameters` writes them: tests/conftest.py's
    `db_params`, in one statement rather than a query and an insert for each of the ~140
    values (the command itself is tested in tests/rules/test_command.py, which checks that
    these are its rows)."""


def command(*args):
    out = io.StringIO()
    call_command("rules", *args, stdout=out)
    return json.loads(out.getvalue())


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_assignment_is_refused(client, world):
    world.client_for(client, "no_role")
    assert client.get(URL).status_code == 403


def test_page_shows_four_forms_and_nav_link(client, world, loaded):
    world.client_for(client, "taichinh_huyen")
    html = client.get(URL).content.decode()
    assert html.count('name="calc"') == 4
    assert f'href="{URL}" aria-current="page"' in html


def test_monthly_equals_the_command(client, world, loaded):
    world.client_for(client, "taichinh_huyen")
    response = client.get(
        URL,
        {
            "calc": "monthly",
            "monthly-jurisdiction": "01",
            "monthly-role": "to_truong",
            "monthly-month": "2024-08",
        },
    )
    expected = command(
        "monthly", "--jurisdiction", "01", "--role", "to_truong", "--month", "2024-08"
    )
    assert response.context["result"] == expected
    html = response.content.decode()
    assert "2.820.000 đ" in html
    for item in expected["trace"]:
        assert item["label"] in html


def test_quota_and_insurance_equal_the_command(client, world, loaded):
    world.client_for(client, "canbo_ct")
    quota = client.get(
        URL,
        {
            "calc": "quota",
            "quota-jurisdiction": "94",
            "quota-commune_kind": "xa",
            "quota-households": "600",
            "quota-residents": "3200",
            "quota-on": "2025-08-01",
        },
    )
    assert quota.context["result"] == command(
        "quota",
        "--jurisdiction",
        "94",
        "--commune-kind",
        "xa",
        "--households",
        "600",
        "--residents",
        "3200",
        "--on",
        "2025-08-01",
    )
    assert quota.context["result"]["members"] == 4
    ins = client.get(
        URL,
        {
            "calc": "insurance",
            "insurance-jurisdiction": "30",
            "insurance-scheme": "vsi",
            "insurance-month": "2025-07",
            "insurance-group": "near_poor",
            "insurance-months_supported": "0",
        },
    )
    assert ins.context["result"] == command(
        "insurance",
        "--scheme",
        "vsi",
        "--jurisdiction",
        "30",
        "--month",
        "2025-07",
        "--group",
        "near_poor",
    )
    assert "Người tham gia đóng" in ins.content.decode()


def test_rule_error_is_a_clear_form_error(client, world, loaded):
    world.client_for(client, "taichinh_huyen")
    response = client.get(
        URL,
        {
            "calc": "monthly",
            "monthly-jurisdiction": "62",
            "monthly-role": "to_vien",
            "monthly-month": "2024-08",
        },
    )
    assert response.context["result"] is None
    assert "Chưa có giá trị tham số" in response.content.decode()


def test_bad_month_is_a_field_error(client, world, loaded):
    world.client_for(client, "taichinh_huyen")
    response = client.get(
        URL,
        {
            "calc": "monthly",
            "monthly-jurisdiction": "01",
            "monthly-role": "to_vien",
            "monthly-month": "tháng 8",
        },
    )
    assert "Nhập tháng theo dạng tháng/năm" in response.content.decode()
