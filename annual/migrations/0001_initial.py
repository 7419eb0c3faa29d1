"""AnnualReport and ReportSnapshot, moved here from the reports app with their rows
(see reports 0006)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import annual.models

MODELS = ["annualreport", "reportsnapshot"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reports", model__in=MODELS).update(app_label="annual")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="annual", model__in=MODELS).update(app_label="reports")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0006_annual_report_moves_to_annual"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnnualReport",
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
                        (
                            "number",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="Given by the records office when the report is signed; 5 prints as 05.",
                                null=True,
                                verbose_name="document number",
                            ),
                        ),
                        (
                            "issued_on",
                            models.DateField(blank=True, null=True, verbose_name="document date"),
                        ),
                        (
                            "place",
                            models.CharField(
                                blank=True,
                                help_text="Blank: the plan's place.",
                                max_length=100,
                                verbose_name="place",
                            ),
                        ),
                        (
                            "parent_body",
                            models.CharField(
                                blank=True,
                                help_text="First line of the header, e.g. UBND TỈNH PHÚ YÊN. Blank: from the plan.",
                                max_length=150,
                                verbose_name="parent body",
                            ),
                        ),
                        (
                            "addressee",
                            models.CharField(
                                blank=True,
                                help_text="After 'Kính gửi:'. Blank: the plan's issuing body.",
                                max_length=255,
                                verbose_name="addressed to",
                            ),
                        ),
                        (
                            "subject",
                            models.TextField(
                                blank=True,
                                help_text="Blank: 'Kết quả thực hiện năm …' and the plan's title or number.",
                                verbose_name="subject",
                            ),
                        ),
                        (
                            "signer_authority",
                            models.TextField(
                                default="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                                help_text="One line each, e.g. KT. GIÁM ĐỐC, then PHÓ GIÁM ĐỐC.",
                                verbose_name="signer's authority",
                            ),
                        ),
                        (
                            "signer_name",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="signer's name"
                            ),
                        ),
                        (
                            "recipients",
                            models.TextField(
                                blank=True,
                                default="Như trên;\nBộ Công Thương (b/c);\nCác sở, ban, ngành liên quan;",
                                help_text="One per line. 'Lưu: VT, …' is added as the last line if missing.",
                                verbose_name="recipients",
                            ),
                        ),
                        (
                            "overall_assessment",
                            models.TextField(blank=True, verbose_name="overall assessment"),
                        ),
                        (
                            "limitations",
                            models.TextField(
                                blank=True, verbose_name="limitations and their causes"
                            ),
                        ),
                        (
                            "proposals",
                            models.TextField(
                                blank=True,
                                verbose_name="proposals to the Provincial People's Committee",
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last saved at"
                            ),
                        ),
                        (
                            "round",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="annual_report",
                                to="reports.round",
                                verbose_name="round",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "consolidated report",
                        "verbose_name_plural": "consolidated reports",
                    },
                ),
                migrations.CreateModel(
                    name="ReportSnapshot",
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
                        (
                            "format",
                            models.CharField(
                                choices=[
                                    ("pdf", "PDF"),
                                    ("docx", "Word (DOCX)"),
                                    ("xlsx", "Excel (XLSX)"),
                                ],
                                max_length=4,
                                verbose_name="format",
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("running", "Generating"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        (
                            "progress",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="progress (%)"
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                blank=True,
                                upload_to=annual.models.snapshot_path,
                                verbose_name="file",
                            ),
                        ),
                        (
                            "sha256",
                            models.CharField(blank=True, max_length=64, verbose_name="SHA-256"),
                        ),
                        (
                            "size",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="size (bytes)"
                            ),
                        ),
                        (
                            "pages",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="pages"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="requested at"
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="started at"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                        ),
                        (
                            "built_from",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Accepted submissions used: {submission id: {version, history_id}}.",
                                verbose_name="built from",
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="snapshots",
                                to="annual.annualreport",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "report file",
                        "verbose_name_plural": "report files",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ]
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
