"""Reorganisations of the agency map, kept as dated events: who recorded what, and what moved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import Agency
from provinces.scope import ScopedManager


class Reorganisation(models.Model):
    """One dated change to the map (a merger, a split, …), applied once by
    `organisation.services.reorganisation_record`. The rows it changed say how things stand;
    this row says why and when, and `changes` lists what moved, as the preview showed it."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge into another body")
        SPLIT = "split", _("Split between successors")
        RENAME = "rename", _("Rename")
        DISSOLVE = "dissolve", _("Dissolve")
        MOVE = "move", _("Move under another body")
        TRANSFER = "transfer", _("Transfer a function")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("takes effect on"))
    sources = models.ManyToManyField(
        Agency, related_name="reorganisations", verbose_name=_("agencies concerned")
    )
    successor = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("successor"),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Resolution 202/2025/QH15"),
    )
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("what moved"), default=list)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("The province whose agencies it reorganised; empty when it spans several."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedManager("province")

    class Meta:
        ordering = ["-effective_on", "-recorded_at"]
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.effective_on:%d/%m/%Y})"
