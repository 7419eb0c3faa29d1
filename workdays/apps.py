from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """Public holidays and working-day arithmetic, for due dates and reminders."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workdays"
    verbose_name = _("Working days")
