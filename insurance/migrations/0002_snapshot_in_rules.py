# The snapshot foreign keys now point to rules.RuleSnapshot (see rules 0002). Same table, same
# column, same constraint: only Django's state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("insurance", "0001_initial"),
        ("rules", "0002_rulesnapshot"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="fundingline",
                    name="snapshot",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="rules.rulesnapshot"),
                ),
                migrations.AlterField(
                    model_name="incident",
                    name="snapshot",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="rules.rulesnapshot"),
                ),
            ],
        ),
    ]
