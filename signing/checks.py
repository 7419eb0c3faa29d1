"""`manage.py check --deploy`: a production without SIGNING_KEY cannot store or use certificates."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def signing_key_is_set(app_configs, **kwargs):
    if getattr(settings, "SIGNING_KEY", ""):
        return []
    return [
        Error(
            "SIGNING_KEY is not set: certificates can be neither stored nor used for signing.",
            hint="Set SIGNING_KEY to a Fernet key (see docs/signing.md).",
            id="signing.E001",
        )
    ]
