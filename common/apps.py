from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every part of the portal shares: Vietnamese input fields (numbers, dates, plain
    text, sniffed uploads) and the template filters. It imports no other app of the portal."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "common"
    verbose_name = "Common"
