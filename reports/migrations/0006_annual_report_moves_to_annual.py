"""The consolidated report moves to the annual app: its tables are renamed, their rows kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_notification_moves_to_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("ReportSnapshot", "annual_reportsnapshot"),
                migrations.AlterModelTable("AnnualReport", "annual_annualreport"),
            ],
            state_operations=[
                migrations.DeleteModel("ReportSnapshot"),
                migrations.DeleteModel("AnnualReport"),
            ],
        ),
    ]
