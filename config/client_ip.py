"""The client's address for sign-in throttling (django-axes).

Behind the HTTPS reverse proxy every connection comes from the proxy, and the client's address
is the right-most X-Forwarded-For entry: the one the proxy itself appended (entries to its left
are whatever the client sent). The header is believed only when the connection comes from a
configured proxy address (`TRUSTED_PROXIES`): reached directly, gunicorn sees the real client
in REMOTE_ADDR, and a forged header must not let it dodge the lockout.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    if forwarded and remote and _trusted(remote):
        return forwarded.split(",")[-1].strip() or remote
    return remote
