from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Where plans come in and are shown: plan pages, the interchange format (import/export)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = _("Plans in and out")
