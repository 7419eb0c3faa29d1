"""A province (tỉnh, thành phố trực thuộc trung ương): the unit whose data is its own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """One of the 34 provincial units (since 01/07/2025). Agencies and plans belong to one; the
    ministry and national programmes belong to none."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. Đắk Lắk"))
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Stable key, e.g. dak-lak.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name
