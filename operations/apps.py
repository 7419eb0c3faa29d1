from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What the machines around the portal read: the health checks the load balancer polls and
    the request log lines. It imports no other app of the portal."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "operations"
    verbose_name = "Operations"
