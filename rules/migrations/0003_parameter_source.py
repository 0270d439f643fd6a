"""Parameter.verified (a yes/no) becomes Parameter.source: where the value comes from
(issue 12 item 7). Unverified rows become "press", or "demo" for the values seed_demo entered
(their note says "Giá trị trình diễn"); `load_parameters` then sets every shipped row to its
fixture's source, which also turns the press-only figures that were flagged verified to "press".
"""

from django.db import migrations, models


def verified_to_source(apps, schema_editor):
    Parameter = apps.get_model("rules", "Parameter")
    Parameter.objects.filter(verified=False).update(source="press")
    Parameter.objects.filter(verified=False, note__icontains="trình diễn").update(source="demo")


def source_to_verified(apps, schema_editor):
    Parameter = apps.get_model("rules", "Parameter")
    Parameter.objects.exclude(source="resolution").update(verified=False)


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_rulesnapshot")]

    operations = [
        migrations.AddField(
            model_name="parameter",
            name="source",
            field=models.CharField(
                choices=[
                    ("resolution", "Văn bản quy phạm pháp luật (đã đối chiếu)"),
                    ("press", "Báo chí, nguồn thứ cấp (chưa xác minh)"),
                    ("default", "Mặc định của phần mềm (chưa có văn bản)"),
                    ("demo", "Giá trị trình diễn (không phải số liệu thật)"),
                ],
                db_index=True,
                default="resolution",
                help_text=(
                    "Chỉ giá trị đọc từ văn bản (nghị quyết, nghị định…) được coi là đã xác minh; "
                    "số liệu từ báo chí, mặc định của phần mềm hay giá trị trình diễn được đánh dấu "
                    "«chưa xác minh» trên mọi trang và văn bản in."
                ),
                max_length=12,
                verbose_name="nguồn của giá trị",
            ),
        ),
        migrations.RunPython(verified_to_source, source_to_verified),
        migrations.RemoveField(model_name="parameter", name="verified"),
    ]
