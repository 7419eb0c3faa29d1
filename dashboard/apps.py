from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Where the plan stands: every figure the dashboard and the consolidated report show."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from . import cache, receivers  # noqa: F401 (receivers: connects on import)

        cache.connect()
