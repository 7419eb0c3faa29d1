"""Notification, moved here from the reports app with its rows (see reports 0005)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reports", model="notification").update(
        app_label="notifications"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifications", model="notification").update(
        app_label="reports"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0005_notification_moves_to_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=30, verbose_name="kind")),
                        ("subject", models.CharField(max_length=255, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="message")),
                        ("url", models.CharField(blank=True, max_length=500)),
                        (
                            "key",
                            models.CharField(
                                blank=True,
                                help_text="Set for event notifications so a retried task never notifies twice.",
                                max_length=120,
                                null=True,
                                unique=True,
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created at"
                            ),
                        ),
                        (
                            "read_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="read at"),
                        ),
                        (
                            "submission",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to="reports.submission",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["user", "read_at"], name="reports_not_user_id_000928_idx"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RenameIndex(
            model_name="notification",
            new_name="notificatio_user_id_47e85c_idx",
            old_name="reports_not_user_id_000928_idx",
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
