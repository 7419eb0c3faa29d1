"""The holiday calendar moves to the workdays app: its table is renamed, its rows kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_load_holidays"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("Holiday", "workdays_holiday")],
            state_operations=[migrations.DeleteModel("Holiday")],
        ),
    ]
