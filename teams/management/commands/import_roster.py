"""Import a commune's roster from an Excel workbook, with the checks of the browser import.

    python manage.py import_roster DANH_SACH.xlsx --commune 08497 [--dry-run] [--tree legacy]

Prints exactly one JSON object, ``{"created": n, "updated": n, "errors": [{"row": r, "column":
"…", "message": "…"}]}``, and exits with status 1 when there are errors; then nothing was
written (all rows or none). Rows are Excel's row numbers (the header is row 1); problems with the
file as a whole (not an .xlsx file, too large, empty, unknown commune) have row 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from teams.models import AdministrativeUnit, Level, Tree, User
from teams.roster_io import ImportReport, RowError, import_roster


class Command(BaseCommand):
    help = (
        "Nhập danh sách Tổ bảo vệ ANTT của một xã từ tệp Excel (.xlsx). In một đối tượng JSON "
        "{created, updated, errors}; có lỗi thì không nhập dòng nào và thoát với mã 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx theo mẫu của hệ thống.")
        parser.add_argument(
            "--commune", required=True, help="Mã đơn vị hành chính cấp xã (5 chữ số)."
        )
        parser.add_argument(
            "--tree",
            choices=[Tree.LEGACY.value, Tree.CURRENT.value],
            help="Cây hành chính khi mã có ở cả hai (mặc định: đơn vị còn hiệu lực hôm nay).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--user", help="Tên đăng nhập ghi vào lịch sử thay đổi (mặc định: «Hệ thống»)."
        )

    def handle(self, *args, file: str, commune: str, tree: str | None, dry_run: bool, **options):
        report = self.run(file, commune, tree, dry_run, options.get("user"))
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        if report.errors:
            sys.exit(1)

    def run(self, file, code, tree, dry_run, username) -> ImportReport:
        def failure(message: str) -> ImportReport:
            return ImportReport(errors=[RowError(0, "", message)])

        found = AdministrativeUnit.objects.filter(level=Level.COMMUNE, code=code.strip())
        if tree:
            found = found.filter(tree=tree)
        units = list(found)
        if len(units) > 1:
            today = [u for u in units if u.is_valid_on(timezone.localdate())]
            units = today if len(today) == 1 else units
        if not units:
            return failure(f"Không có đơn vị cấp xã mã «{code}».")
        if len(units) > 1:
            return failure(f"Mã «{code}» có ở cả hai cây hành chính: chọn --tree legacy hoặc 2025.")
        actor = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                return failure(f"Không có người dùng «{username}».")
        path = Path(file)
        if not path.is_file():
            return failure(f"Không tìm thấy tệp «{file}».")
        return import_roster(
            commune=units[0], content=path.read_bytes(), actor=actor, dry_run=dry_run
        )
