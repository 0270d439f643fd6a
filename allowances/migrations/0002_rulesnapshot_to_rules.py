# RuleSnapshot now belongs to rules (see rules 0002): the line's foreign key points there and
# the model leaves allowances' state. The table `allowances_rulesnapshot` is kept as it is.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("allowances", "0001_initial"),
        ("rules", "0002_rulesnapshot"),
        # insurance's foreign keys must leave allowances.RuleSnapshot before it is removed.
        ("insurance", "0002_snapshot_in_rules"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="allowanceline",
                    name="snapshot",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="rules.rulesnapshot"),
                ),
                migrations.DeleteModel(name="RuleSnapshot"),
            ],
        ),
    ]
