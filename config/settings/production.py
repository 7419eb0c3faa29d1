"""Production: every secret from the environment, HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from config.client_ip import client_ip

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The absolute address in every e-mail link: without it they would point at 127.0.0.1.
SITE_URL = env("SITE_URL", default="").strip().rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "Set SITE_URL to the portal's public address, e.g. https://kehoach.example.gov.vn: "
        "the links in the portal's e-mails are built from it."
    )

MIDDLEWARE = MIDDLEWARE.copy()  # noqa: F405
# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Shared by every web and worker process: the password-reset throttle and the dashboard's
# cached figures (dashboard/cache.py) live in it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,  # noqa: F405
        "KEY_PREFIX": "portal",
    }
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer polls /health/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# A session ends after this many hours without a request (each request starts the clock again).
SESSION_IDLE_HOURS = env.int("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = SESSION_IDLE_HOURS * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is hard to undo (browsers ship the list): only on request.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Without it, Django's deploy check warns (security.W021): that is the choice made here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Login throttling counts failures per username + client address: see config/client_ip.py.
# X-Forwarded-For is believed only from these proxy addresses (IPs or networks, comma-separated;
# the default is a proxy on the same machine). BEHIND_PROXY=false trusts no proxy at all.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=True)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"]) if BEHIND_PROXY else []
AXES_CLIENT_IP_CALLABLE = client_ip

# One JSON object a line on stdout, for the log collector; each request's lines carry its
# request_id, user_id and path (operations/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "operations.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "operations.logging.PortalJsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "json"}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The portal logs every request itself, with its id (gunicorn runs without an access log).
    "loggers": {"portal.request": {"level": "INFO"}},
}
