from django.core.management.base import BaseCommand

from teams.official_units import units_import


class Command(BaseCommand):
    help = (
        "Nạp hai cây đơn vị hành chính chính thức (trước và từ 01/07/2025) từ gói "
        "vietnam-provinces, kèm bảng chuyển đổi. Chạy lại bao nhiêu lần cũng được."
    )

    def handle(self, *args, **options):
        summary = units_import(progress=lambda msg: self.stdout.write(msg))
        created = sum(s.created for s in summary.stages)
        updated = sum(s.updated for s in summary.stages)
        for unit in summary.flagged:
            self.stdout.write(
                self.style.WARNING(
                    f"Cần kiểm tra: {unit.name} ({unit.code}): {unit.jurisdiction_note}"
                )
            )
        if summary.missing_from_package:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(summary.missing_from_package)} đơn vị có trong cơ sở dữ liệu nhưng "
                    f"không còn trong gói dữ liệu (giữ nguyên): "
                    f"{', '.join(summary.missing_from_package[:10])}"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {created} đơn vị mới, {updated} cập nhật, "
                f"{summary.successions_created} liên kết sắp xếp mới."
            )
        )
