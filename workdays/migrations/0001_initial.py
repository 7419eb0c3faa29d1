"""Holiday, moved here from the reminders app with its rows (see reminders 0003)."""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reminders", model="holiday").update(app_label="workdays")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="workdays", model="holiday").update(app_label="reminders")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reminders", "0003_holiday_moves_to_workdays"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Holiday",
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
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("name", models.CharField(max_length=255, verbose_name="name")),
                        (
                            "is_working_day",
                            models.BooleanField(
                                default=False,
                                help_text="A weekend day that is worked in exchange for a day off.",
                                verbose_name="make-up working day",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "holiday",
                        "verbose_name_plural": "holidays",
                        "ordering": ["date"],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
