"""E-mail each user their work inbox when something in it is late or due soon (daily cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workspace.reminders import digests_due, digests_send


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc việc: mỗi người nhận danh sách «Việc cần làm» của mình (như trên trang "
        "làm việc) khi có việc quá hạn hoặc sắp đến hạn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="Nhắc khi có việc còn N ngày đến hạn (mặc định 3)."
        )
        parser.add_argument(
            "--every",
            action="store_true",
            help="Gửi cho mọi người có việc đang chờ (thư hằng ngày).",
        )
        parser.add_argument("--today", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi thư.")

    def handle(self, *args, days: int, every: bool, today: str | None, dry_run: bool, **options):
        if days < 0:
            raise CommandError("--days phải là số ngày không âm.")
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {today!r} (cần dạng YYYY-MM-DD).") from None
        digests = digests_due(today=day, days=days, every=every)
        for d in digests:
            to = d.user.email or "(không có địa chỉ thư)"
            self.stdout.write(f"{d.user.username} → {to}: {d.subject}")
        sent = 0 if dry_run else digests_send(digests, today=day)
        without = sum(1 for d in digests if not d.user.email)
        self.stdout.write(
            f"{len(digests)} người cần nhắc, đã gửi {sent} thư"
            + (f"; {without} người chưa có địa chỉ thư." if without else ".")
        )
