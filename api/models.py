from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Agency, Plan


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so one SHA-256 is enough: no salt or slow hash needed to stop
    guessing, and the lookup stays one indexed query."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    """Another system that reads the API with a token of its own, within its scope.

    The token itself is shown once, when the client is created; only its hash is kept.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        _("token begins with"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the token, to tell tokens apart."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    plans = models.ManyToManyField(
        Plan,
        related_name="api_clients",
        verbose_name=_("plans it may read"),
        help_text=_("The token sees these plans only."),
    )
    provinces = models.ManyToManyField(
        "provinces.Province",
        blank=True,
        related_name="api_clients",
        verbose_name=_("provinces it may read"),
        help_text=_("Leave empty for every province (a national system)."),
    )
    agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="api_clients",
        verbose_name=_("agencies it may read"),
        help_text=_(
            "Leave empty for every agency. Otherwise the token sees only the tasks these "
            "agencies lead and the reports they submitted."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name
