"""The embedded default: SQLite, a file-system Celery broker, e-mails written to var/mail."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

_CELERY_DIR = VAR_DIR / "celery"
for _sub in ("queue", "processed", "control"):
    os.makedirs(_CELERY_DIR / _sub, exist_ok=True)
# A broker that needs no server: Kombu's file-system transport, shared by runserver and the worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(_CELERY_DIR / "queue"),
    "data_folder_out": str(_CELERY_DIR / "queue"),
    "processed_folder": str(_CELERY_DIR / "processed"),
    "store_processed": False,
    "control_folder": str(_CELERY_DIR / "control"),
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
