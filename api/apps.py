from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read API for other government systems (Decree 09/2019's national reporting
    information system): plans, targets, tasks, rounds and accepted reports, by token."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Read API")
