from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    """The consolidated annual report: the focal point's text, and every file built from it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "annual"
    verbose_name = _("Consolidated reports")
