"""Account workflows that are not Django's own: the password-reset throttle."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _count(key: str, window: int) -> int:
    """One more request under `key` in the current window; how many so far."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_allowed(*, email: str, client_ip: str | None) -> bool:
    """Whether a reset e-mail may be sent: at most PASSWORD_RESET_PER_EMAIL requests for one
    address and PASSWORD_RESET_PER_IP from one client in PASSWORD_RESET_WINDOW_MINUTES.

    Every request counts, for an address with an account or without one, so the answer tells
    nothing about which addresses exist."""
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    per_email = _count(f"password-reset:email:{digest}", window)
    per_ip = _count(f"password-reset:ip:{client_ip or 'unknown'}", window)
    return (
        per_email <= settings.PASSWORD_RESET_PER_EMAIL and per_ip <= settings.PASSWORD_RESET_PER_IP
    )
