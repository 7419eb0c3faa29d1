"""The embedded default (SQLite, as scripts/start runs it) takes simultaneous writes without a
"database is locked" error: the project's own settings, on a real SQLite file, in a process of
its own (the test suite itself runs on PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# 30 threads, each: read, then write in one transaction, as a draft save does. With SQLite's
# default deferred transactions two readers that both go on to write deadlock, and SQLite
# answers one of them at once with "database is locked".
SCRIPT = """
import threading, django
django.setup()
from django.db import connection, transaction
from django.db.utils import OperationalError
from workdays.models import Holiday
import datetime as dt

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
errors, start = [], threading.Barrier(30)

def save(n):
    try:
        start.wait()
        with transaction.atomic():
            Holiday.objects.filter(date__year=1999).count()
            Holiday.objects.create(date=dt.date(1999, 1, 1) + dt.timedelta(days=n), name=f"x{n}")
    except OperationalError as exc:
        errors.append(str(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=save, args=(n,)) for n in range(30)]
for t in threads: t.start()
for t in threads: t.join()
print("errors", len(errors), errors[:1])
print("rows", Holiday.objects.filter(date__year=1999).count())
"""


def test_thirty_simultaneous_saves_on_the_sqlite_default_all_land(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    result = subprocess.run(
        [*manage, "shell", "--no-imports", "-v0", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "journal wal" in lines
    assert "errors 0 []" in lines
    assert "rows 30" in lines
