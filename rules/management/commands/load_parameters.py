from django.core.management.base import BaseCommand
from django.db import transaction

from rules.models import Parameter
from rules.parameters import load_fixtures, value_text


class Command(BaseCommand):
    help = (
        "Nạp các tham số quy định kèm phần mềm (fixtures/rules/*.toml) vào cơ sở dữ liệu. "
        "Không động đến giá trị do quản trị viên nhập."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = updated = kept = 0
        for value in load_fixtures():
            fields = {
                "value": value_text(value.value, value.unit),
                "unit": value.unit.value,
                "effective_to": value.effective_to,
                "citation": value.citation,
                "source": value.source.value,
                "note": value.note,
            }
            row = Parameter.objects.filter(
                key=value.key, jurisdiction=value.jurisdiction, effective_from=value.effective_from
            ).first()
            if row is None:
                Parameter.objects.create(
                    key=value.key,
                    jurisdiction=value.jurisdiction,
                    effective_from=value.effective_from,
                    origin=Parameter.Origin.FIXTURE,
                    **fields,
                )
                created += 1
            elif row.origin == Parameter.Origin.ADMIN:
                kept += 1  # an administrator's value for that day wins
            elif any(getattr(row, k) != v for k, v in fields.items()):
                Parameter.objects.filter(pk=row.pk).update(**fields)
                updated += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Tham số: {created} mới, {updated} cập nhật, {kept} giữ theo quản trị viên."
            )
        )
