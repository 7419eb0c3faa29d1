"""A plan on its way in: the parser's proposal, kept as a draft until someone publishes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Plan
from provinces.scope import ScopedManager


class PlanImport(models.Model):
    """One document read into a proposal (interchange JSON) and the review of it.

    The uploaded file is not kept: its lines (`source_lines`, as the reader gave them, cells
    included) are enough to show where each item came from and to parse again with other columns.
    A draft made from a plan already in the portal (`amends`) is how the plan editor and
    amending plans work: publishing applies it to that plan.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    class Kind(models.TextChoices):
        DOCX = "docx", _("Word document")
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel workbook")
        TEXT = "text", _("Text")
        PLAN = "plan", _("Plan in the portal")

    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("Whose plan it becomes: the amended plan's province, or the importer's."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plan_imports",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    source_name = models.CharField(_("source file"), max_length=255)
    source_kind = models.CharField(_("source kind"), max_length=10, choices=Kind.choices)
    source_lines = models.JSONField(_("source lines"), default=list, blank=True)
    proposal = models.JSONField(_("proposal"), default=dict)
    leads = models.JSONField(_("every lead named"), default=dict, blank=True)
    sources = models.JSONField(_("source lines of each item"), default=dict, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    column_mappings = models.JSONField(_("table columns"), default=list, blank=True)
    new_agencies = models.JSONField(_("agencies to confirm"), default=list, blank=True)
    amends = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends the plan"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("published as"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # What publishing changed in the amended plan, with the wording before (history).
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = ScopedManager("province")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
