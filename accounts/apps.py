import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Users")


class AxesConfig(axes.apps.AppConfig):
    """django-axes (sign-in throttling), named in the user's language on the admin index."""

    verbose_name = _("Sign-in throttling")
