"""The inbox moves to the notifications app: its table is renamed, its rows kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_history_reason_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("Notification", "notifications_notification"),
            ],
            state_operations=[migrations.DeleteModel("Notification")],
        ),
    ]
