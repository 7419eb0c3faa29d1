from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import scope

SESSION_KEY = "further_provinces"


@receiver(user_logged_in)
def remember_further_provinces(sender, request, user, **kwargs):
    """An account's further provinces, read once at sign-in rather than on every request (a
    change to them applies from the next sign-in)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = scope.further_province_ids(user)
