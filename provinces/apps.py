from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvincesConfig(AppConfig):
    """Whose data is whose: the provinces a deployment serves, which of them a request may read
    and write (scope.py), and the same rule again in PostgreSQL row-level security (rls.py).
    It imports no other app of the portal."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "provinces"
    verbose_name = _("Provinces")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the sign-in receiver
