"""Production: every secret from the environment, HTTPS only."""

from config.client_ip import client_ip

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

MIDDLEWARE = MIDDLEWARE.copy()  # noqa: F405
# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Login throttling counts failures per username + client address: see config/client_ip.py.
# X-Forwarded-For is believed only from these proxy addresses (IPs or networks, comma-separated;
# the default is a proxy on the same machine). BEHIND_PROXY=false trusts no proxy at all.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=True)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"]) if BEHIND_PROXY else []
AXES_CLIENT_IP_CALLABLE = client_ip

# Shared by every worker, so a figure cached by one (dashboard/cache.py) is seen by all.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),  # noqa: F405
        "KEY_PREFIX": "portal",
    }
}
