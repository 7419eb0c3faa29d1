"""The SQLite default holds its one write lock only inside the services' transactions: no
request-wide transaction (ATOMIC_REQUESTS), so pages that read, render or check a password never
queue behind a save (bench/load.py --sqlite: 50 clients, no server error). A save is still one
transaction, begun IMMEDIATE, so two saves never deadlock and the version check holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django; django.setup()
from django.conf import settings
from django.db import connection, transaction
db = settings.DATABASES["default"]
print(db["ATOMIC_REQUESTS"], db["OPTIONS"]["transaction_mode"], db["OPTIONS"]["timeout"])
with transaction.atomic():  # as every service writes
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print(cursor.fetchone()[0], connection.in_atomic_block)
"""


def test_the_sqlite_default_has_no_request_wide_transaction(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["False", "IMMEDIATE", "60", "wal", "True"], out.stderr


def test_postgresql_keeps_atomic_requests(settings):
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True
