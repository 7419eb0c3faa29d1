"""The SQLite default's request transactions (config.middleware.SqliteWritesAtomicMiddleware):
a request that may write is one transaction and a server error rolls it back, as
ATOMIC_REQUESTS does on PostgreSQL; a page that only reads, and signing in, take no write lock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import SqliteWritesAtomicMiddleware
from workdays.models import Holiday

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)  # no outer transaction of the test's own


def _run(method: str, path: str, status: int) -> list[bool]:
    seen = []

    def view(request):
        seen.append(connection.in_atomic_block)
        Holiday.objects.create(date=dt.date(1999, 1, 1) + dt.timedelta(days=len(seen)), name="x")
        return HttpResponse(status=status)

    request = getattr(RequestFactory(), method)(path)
    SqliteWritesAtomicMiddleware(view)(request)
    return seen


def test_a_post_is_one_transaction_kept_when_it_succeeds():
    assert _run("post", "/reports/", 302) == [True]
    assert Holiday.objects.filter(name="x").exists()


def test_a_post_answered_with_a_server_error_changes_nothing():
    assert _run("post", "/reports/", 500) == [True]
    assert not Holiday.objects.filter(name="x").exists()


def test_a_page_that_only_reads_and_signing_in_run_without_a_transaction():
    assert _run("get", "/reports/", 200) == [False]
    Holiday.objects.all().delete()
    assert _run("post", reverse("login"), 200) == [False]


def test_the_sqlite_default_uses_it_instead_of_atomic_requests():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ATOMIC_REQUESTS'], "
        "'config.middleware.SqliteWritesAtomicMiddleware' in s.MIDDLEWARE)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": "sqlite:////tmp/portal-settings-check.sqlite3",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["False", "True"], out.stderr
