"""The holiday calendar the working-day arithmetic reads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A public holiday (no reminders go out), or a weekend day worked in exchange for one.

    Vietnam moves days off around long holidays by decision of the Government: a Saturday can
    become a working day (ngày làm bù) so that a Friday can be a day off. Such a Saturday is
    stored here with `is_working_day` set.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    is_working_day = models.BooleanField(
        _("make-up working day"),
        default=False,
        help_text=_("A weekend day that is worked in exchange for a day off."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
