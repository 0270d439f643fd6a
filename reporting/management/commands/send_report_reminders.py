"""E-mail the units whose report is due in N days or late (run daily from cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.formatting import format_date
from reporting.reminders import reminders_due, reminders_send


class Command(BaseCommand):
    help = "Gửi thư nhắc các đơn vị có báo cáo sắp đến hạn (sau N ngày) hoặc đã quá hạn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="Nhắc khi còn đúng N ngày đến hạn (mặc định 3)."
        )
        parser.add_argument("--today", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi thư.")

    def handle(self, *args, days: int, today: str | None, dry_run: bool, **options):
        if days < 0:
            raise CommandError("--days phải là số ngày không âm.")
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {today!r} (cần dạng YYYY-MM-DD).") from None
        reminders = reminders_due(today=day, days=days)
        for r in reminders:
            state = "quá hạn" if r.late else f"hạn {format_date(r.period.last_on_time_day)}"
            who = ", ".join(sorted(set(r.recipients))) or "(không có địa chỉ thư)"
            self.stdout.write(f"{r.period.label} · {r.unit.name} · {state} → {who}")
        without = sum(1 for r in reminders if not r.recipients)
        sent = 0 if dry_run else reminders_send(reminders, today=day)
        self.stdout.write(
            f"{len(reminders)} đơn vị cần nhắc, đã gửi {sent} thư"
            + (f"; {without} đơn vị chưa có địa chỉ thư của người báo cáo." if without else ".")
        )
