"""`{% sso_enabled %}` and `{% signed_in_with_sso %}`: what the sign-in page and the navbar
show depends on whether single sign-on is configured (accounts/oidc.py)."""

from django import template
from django.conf import settings

from accounts.oidc import signed_in_with_sso as _signed_in_with_sso

register = template.Library()


@register.simple_tag
def sso_enabled() -> bool:
    return getattr(settings, "OIDC_ENABLED", False)


@register.simple_tag(takes_context=True)
def signed_in_with_sso(context) -> bool:
    request = context.get("request")
    return bool(request and sso_enabled() and _signed_in_with_sso(request))
