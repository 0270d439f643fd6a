"""`manage.py carry_over --province CODE [--dry-run]`: the default carry-over (every old area
kept in the successor that holds it, every team kept) for the new communes of a province whose
officers have not carried over yet; prints one JSON summary. Idempotent."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from carryover import services
from teams.models import AdministrativeUnit, Level, Tree


class Command(BaseCommand):
    help = "Chuyển giao khu dân cư, Tổ, thành viên của các xã cũ sang xã mới (phương án mặc định)."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Mã tỉnh sau sắp xếp, ví dụ 25.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ xem trước, không ghi.")

    def handle(self, *args, province: str, dry_run: bool, **options):
        unit = AdministrativeUnit.objects.filter(
            tree=Tree.CURRENT, level=Level.PROVINCE, code=province.strip()
        ).first()
        if unit is None:
            raise CommandError(
                json.dumps(
                    {
                        "error": f"Không có tỉnh, thành phố mã «{province}» sau sắp xếp (01/07/2025)."
                    },
                    ensure_ascii=False,
                )
            )
        started = time.perf_counter()
        summary = services.province_carry_over(province=unit, actor=None, dry_run=dry_run)
        summary["seconds"] = round(time.perf_counter() - started, 2)
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
