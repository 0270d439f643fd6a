"""manage.py rules …: one JSON object on stdout; exit 2 with a Vietnamese error."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db_params):
    """The shipped parameters as `load_parameters` writes them: tests/conftest.py's
    `db_params`, written once for the module rather than by the command before every test
    (test_load_parameters_would_write_nothing_more checks that they are the command's rows)."""


def test_load_parameters_would_write_nothing_more(loaded):
    out = io.StringIO()
    call_command("load_parameters", stdout=out)
    assert "Tham số: 0 mới, 0 cập nhật, 0 giữ theo quản trị viên." in out.getvalue()


def run(*args):
    out = io.StringIO()
    call_command("rules", *args, stdout=out)
    return json.loads(out.getvalue())


def run_failing(capsys, *args):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("rules", *args, stdout=out)
    assert exit_info.value.code == 2
    text = out.getvalue() or capsys.readouterr().out
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return json.loads(lines[0])


def test_quota(loaded):
    result = run(
        "quota",
        "--jurisdiction",
        "25",
        "--commune-kind",
        "xa",
        "--households",
        "525",
        "--on",
        "2024-08-01",
    )
    assert set(result) == {"members", "citation", "trace"}
    assert result["members"] == 4
    assert set(result["trace"][0]) == {"label", "formula", "value", "citation"}


def test_quota_by_residents(loaded):
    result = run(
        "quota",
        "--jurisdiction",
        "79",
        "--commune-kind",
        "phuong",
        "--households",
        "900",
        "--residents",
        "4500",
        "--on",
        "2024-08-01",
    )
    assert result["members"] == 5


def test_monthly(loaded):
    result = run("monthly", "--jurisdiction", "01", "--role", "to_truong", "--month", "2024-08")
    assert set(result) == {"amount", "citation", "trace"}
    assert result["amount"] == 2_820_000


def test_monthly_with_region_village_type_and_concurrent_posts(loaded):
    assert (
        run(
            "monthly",
            "--jurisdiction",
            "95",
            "--role",
            "to_vien",
            "--month",
            "2024-08",
            "--region",
            "IV",
        )["amount"]
        == 1_104_000
    )
    assert (
        run(
            "monthly",
            "--jurisdiction",
            "38",
            "--role",
            "to_vien",
            "--month",
            "2024-08",
            "--village-type",
            "2",
        )["amount"]
        == 1_310_400
    )
    assert (
        run(
            "monthly",
            "--jurisdiction",
            "25",
            "--role",
            "to_vien",
            "--month",
            "2024-08",
            "--concurrent",
            "truc_tiep_kdc",
        )["amount"]
        == 1_000_000
    )


def test_insurance(loaded):
    result = run(
        "insurance",
        "--scheme",
        "vsi",
        "--jurisdiction",
        "01",
        "--month",
        "2025-07",
        "--group",
        "other",
    )
    assert result == {
        **result,
        "contribution": 330_000,
        "state_support": 66_000,
        "province_support": 234_000,
        "member_pays": 30_000,
    }
    assert set(result) == {
        "contribution",
        "state_support",
        "province_support",
        "member_pays",
        "trace",
    }
    hi = run(
        "insurance",
        "--scheme",
        "hi",
        "--jurisdiction",
        "01",
        "--month",
        "2025-08",
        "--group",
        "other",
        "--on",
        "2025-08-15",
    )
    assert hi["member_pays"] == 0


def test_insurance_months_supported(loaded):
    result = run(
        "insurance",
        "--scheme",
        "vsi",
        "--jurisdiction",
        "01",
        "--month",
        "2025-07",
        "--group",
        "poor",
        "--months-supported",
        "120",
    )
    assert result["state_support"] == 0


def test_values_an_administrator_changes_are_used(loaded):
    from rules.models import Parameter

    row = Parameter.objects.get(key="support.base", jurisdiction="01")
    Parameter.objects.create(
        key="support.base",
        jurisdiction="01",
        value="2600000",
        unit="vnd",
        effective_from="2025-01-01",
        citation="NQ mới",
    )
    assert (
        run("monthly", "--jurisdiction", "01", "--role", "to_vien", "--month", "2025-01")["amount"]
        == 2_600_000
    )
    assert row.value == "2520000"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("monthly", "--jurisdiction", "62", "--role", "to_vien", "--month", "2024-08"),
            "support.to_vien",
        ),
        (
            ("monthly", "--jurisdiction", "01", "--role", "to_vien", "--month", "2024-05"),
            "Chưa có quy định",
        ),
        (
            (
                "insurance",
                "--scheme",
                "vsi",
                "--jurisdiction",
                "01",
                "--month",
                "2025-07",
                "--group",
                "other",
                "--income",
                "1000000",
            ),
            "thấp hơn mức thấp nhất",
        ),
        (
            (
                "quota",
                "--jurisdiction",
                "30",
                "--commune-kind",
                "xa",
                "--households",
                "1200",
                "--on",
                "2025-01-01",
            ),
            "quota.all.top_members",
        ),
    ],
)
def test_rule_errors_exit_2(loaded, capsys, args, message):
    assert message in run_failing(capsys, *args)["error"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("monthly", "--jurisdiction", "01", "--role", "boss", "--month", "2024-08"),
            "Chức danh «boss» không hợp lệ",
        ),
        (
            ("monthly", "--jurisdiction", "01", "--role", "to_vien", "--month", "08/2024"),
            "Tháng «08/2024» không hợp lệ",
        ),
        (("monthly", "--jurisdiction", "01"), "Thiếu tham số bắt buộc"),
        (
            ("quota", "--jurisdiction", "99", "--commune-kind", "xa", "--households", "1"),
            "Chưa có quy định của tỉnh mã «99»",
        ),
        (("quota", "--jurisdiction", "25", "--commune-kind", "xa", "--households", "-3"), "Số hộ"),
        (
            (
                "insurance",
                "--scheme",
                "ltc",
                "--jurisdiction",
                "01",
                "--month",
                "2025-07",
                "--group",
                "other",
            ),
            "Loại bảo hiểm",
        ),
        (("bogus",), "«bogus»"),
    ],
)
def test_argument_errors_exit_2_with_json_not_usage(loaded, capsys, args, message):
    error = run_failing(capsys, *args)["error"]
    assert message in error
    assert "usage" not in error


def test_insurance_island_group_and_household_position(loaded):
    """`manage.py rules insurance --group island`: 50 % from 01/07/2025 (Decree 159/2025)."""
    args = ["insurance", "--scheme", "vsi", "--jurisdiction", "01", "--group", "island"]
    assert run(*args, "--month", "2025-07")["state_support"] == 165_000
    assert run(*args, "--month", "2025-06")["state_support"] == 33_000
    hi = run(
        "insurance", "--scheme", "hi", "--jurisdiction", "01", "--month", "2025-07",
        "--group", "other", "--household-position", "2",
    )  # fmt: skip
    assert hi["contribution"] == 73_710
