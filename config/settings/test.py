"""Tests run on PostgreSQL and a real Redis broker, never SQLite."""

import uuid

from .base import *  # noqa: F403
from .base import AUTHENTICATION_BACKENDS, BASE_DIR, DATABASES, env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES["default"] = env.db(
    "DATABASE_URL", default="postgres://postgres:postgres@127.0.0.1:5432/portal"
)
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The test suite runs on PostgreSQL only (set DATABASE_URL).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that starts a real worker points it at its own SMTP server through these variables.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Tasks queued on commit run in-process in unit tests; tests marked celery_worker start a real
# worker on the Redis broker instead.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
LANGUAGE_CODE = "vi"
# Several suites may run on one machine at once (developers, CI): each database named in
# DATABASE_URL gets its own test database (test_<name>), or TEST_DATABASE_NAME picks one.
DATABASES["default"]["TEST"] = {
    "NAME": env("TEST_DATABASE_NAME", default=f"test_{DATABASES['default']['NAME']}")
}

# Sign-in throttling stays on (tests prove the lockout); only `Client.login()`, which passes no
# request, skips it. See axes_testing.py. The other backends (and SSO's, when configured) stay.
AUTHENTICATION_BACKENDS = [
    "config.settings.axes_testing.RequestOptionalAxesBackend",
    *AUTHENTICATION_BACKENDS[1:],
]

# A fixed Fernet key for tests only; every other environment reads SIGNING_KEY (no default).
SIGNING_KEY = "dGVzdC1vbmx5LXNpZ25pbmcta2V5LW5vdC1zZWNyZXQ="

# The real Redis, as in production; each run keys its own entries (ids restart with the
# test database), and FLUSHDB is never needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,  # noqa: F405
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "TIMEOUT": 600,
    }
}

# Browser tests that are not about autosave must not see a draft save itself mid-journey;
# tests/browser/test_autosave.py sets its own delay.
REPORTS_AUTOSAVE_SECONDS = 0
