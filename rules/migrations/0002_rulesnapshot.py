# RuleSnapshot moves from allowances to rules (so that insurance need not import allowances).
# The table stays `allowances_rulesnapshot`: this migration only changes Django's state, and
# renames the content type so that its permissions follow. allowances 0002 and insurance 0002
# repoint the foreign keys and remove the model from allowances' state.

from django.db import migrations, models


def move_content_type(apps, schema_editor, source="allowances", target="rules"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=target, model="rulesnapshot").exists():
        return
    ContentType.objects.using(db).filter(app_label=source, model="rulesnapshot").update(
        app_label=target
    )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="rules", target="allowances")


class Migration(migrations.Migration):

    dependencies = [
        ("rules", "0001_initial"),
        ("allowances", "0001_initial"),  # creates the table
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RuleSnapshot",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(max_length=64, unique=True)),
                        ("rule_module", models.CharField(max_length=120)),
                        ("citation", models.CharField(max_length=400)),
                        ("trace", models.JSONField()),
                        ("parameters", models.JSONField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "cách tính",
                        "verbose_name_plural": "cách tính",
                        "db_table": "allowances_rulesnapshot",
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
