"""`render_report` (the unit valid in the period) and `send_report_reminders` (due or late)."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reporting import services
from reporting.periods import Period

D = datetime.date
AUG = Period.monthly(2024, 8)  # window 15/07–14/08/2024, due 14/08, entry locks from 25/08


# --- render_report ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2025-03", "Trước 01/07/2025"), ("2025-09", "Từ 01/07/2025")],
)
def test_render_report_takes_the_unit_valid_in_the_period(
    world, tmp_path, capsys, period, expected
):
    out = tmp_path / "bc.pdf"
    call_command("render_report", kind="monthly", unit="25", period=period, output=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert expected in capsys.readouterr().out


def test_render_report_annual(world, tmp_path):
    out = tmp_path / "nam.pdf"
    call_command("render_report", kind="annual", unit="08497", period="2024", output=str(out))
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "unit", "period", "message"),
    [
        ("monthly", "08497", "2026-01", "Không có đơn vị mã 08497"),  # Tiên Kiên ended in 2025
        ("monthly", "99", "2025-09", "Không có đơn vị mã 99"),
        ("monthly", "25", "2025", "không phải kỳ báo cáo tháng"),
        ("annual", "25", "2025-13", "Kỳ báo cáo không hợp lệ"),
    ],
)
def test_render_report_refuses_clearly(world, tmp_path, kind, unit, period, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("render_report", kind=kind, unit=unit, period=period, output=str(out))
    assert not out.exists()


# --- send_report_reminders --------------------------------------------------------------------


@pytest.fixture
def emails(world):
    for name in ("canbo_xa1", "canbo_xa2", "congan_huyen", "taichinh_huyen"):
        user = world.users[name]
        user.email = f"{name}@antt-demo.example"
        user.save()


def remind(day: D, days: int = 3) -> str:
    mail.outbox.clear()
    from io import StringIO

    out = StringIO()
    call_command("send_report_reminders", days=days, today=day.isoformat(), stdout=out)
    return out.getvalue()


def recipients() -> set[str]:
    return {addr for m in mail.outbox for addr in m.to}


def test_reminds_the_reporters_three_days_before_the_due_date(roster, emails):
    output = remind(D(2024, 8, 11))
    # The communes' officers and the district's police (it consolidates and reports upward);
    # never the finance officer.
    assert recipients() == {
        "canbo_xa1@antt-demo.example",
        "canbo_xa2@antt-demo.example",
        "congan_huyen@antt-demo.example",
    }
    tien_kien = next(m for m in mail.outbox if m.to == ["canbo_xa1@antt-demo.example"])
    assert "Tiên Kiên" in tien_kien.subject and "14/08/2024" in tien_kien.subject
    assert "/bao-cao/thang/2024-08/" in tien_kien.body
    assert "đã gửi 3 thư" in output
    # Not two days before, not four: once per period.
    assert remind(D(2024, 8, 12)).startswith("0 đơn vị") and not mail.outbox


def test_a_sent_report_stops_the_reminders(roster, emails):
    report = services.report_get(unit=roster.units["tien_kien"], kind=AUG.kind, period=AUG)
    services.report_transition(
        report=report, action="submit", actor=roster.users["canbo_xa1"], today=D(2024, 8, 10)
    )
    remind(D(2024, 8, 11))
    assert "canbo_xa1@antt-demo.example" not in recipients()
    assert "canbo_xa2@antt-demo.example" in recipients()


def test_late_reports_are_reminded_daily_until_entry_locks(roster, emails):
    remind(D(2024, 8, 15), days=30)  # the day after the due date
    late = [m for m in mail.outbox if "quá hạn" in m.subject]
    assert {a for m in late for a in m.to} >= {"canbo_xa1@antt-demo.example"}
    assert "khóa từ ngày 25/08/2024" in late[0].body
    remind(D(2024, 8, 24), days=30)
    assert any("quá hạn" in m.subject for m in mail.outbox)
    remind(D(2024, 8, 25), days=30)  # locked: the provincial police decide now
    assert not any("tháng 08/2024" in m.subject for m in mail.outbox)


def test_units_without_an_address_are_named_not_skipped_silently(roster):
    output = remind(D(2024, 8, 11))
    assert not mail.outbox
    assert "Tiên Kiên" in output and "chưa có địa chỉ thư" in output


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_report_reminders", today="11/08/2024")
    with pytest.raises(CommandError, match="không âm"):
        call_command("send_report_reminders", days=-1)
