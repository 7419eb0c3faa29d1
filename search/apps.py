from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search box across plans, tasks and agencies, accent-insensitive."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")
