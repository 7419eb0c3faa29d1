"""The checks behind /health/: each one times itself and never raises.

A check answers ok, degraded or error. Error on a required service (the database, Redis, the
media storage) makes the page answer 503, so the load balancer takes this web process out of
rotation. Celery is reported but not required: with no worker answering, pages still work and
queued mail waits in Redis, so taking every web process out would turn a late e-mail into a
whole-site outage (docs/operations.md).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis
from celery import current_app
from django.conf import settings
from django.db import connection

OK, DEGRADED, ERROR = "ok", "degraded", "error"
TIMEOUT = 1.0  # seconds each service may take to answer
CELERY_PING_TIMEOUT = 0.5


@dataclass
class Result:
    status: str
    latency_ms: float
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"status": self.status, "latency_ms": self.latency_ms}
        if self.detail:
            data["detail"] = self.detail
        return data


def _timed(check: Callable[[], tuple[str, str]]) -> Result:
    start = time.perf_counter()
    try:
        status, detail = check()
    except Exception as exc:  # any failure is the check's answer, never the page's crash
        status, detail = ERROR, f"{type(exc).__name__}: {exc}"[:300]
    return Result(status, round((time.perf_counter() - start) * 1000, 1), detail)


def check_database() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK, ""


def check_redis() -> tuple[str, str]:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK, ""


def check_celery() -> tuple[str, str]:
    """A broadcast ping on the broker; the workers that answer within the timeout count."""
    with current_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT)
        replies = current_app.control.ping(timeout=CELERY_PING_TIMEOUT, connection=conn)
    if not replies:
        return DEGRADED, "no workers"
    return OK, f"{len(replies)} worker(s)"


def check_storage() -> tuple[str, str]:
    """Write and delete a small file where uploads and generated reports go."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".health-", delete=True) as handle:
        handle.write(b"ok")
        handle.flush()
    return OK, ""


CHECKS: dict[str, tuple[Callable[[], tuple[str, str]], bool]] = {
    # name: (check, required)
    "database": (check_database, True),
    "redis": (check_redis, True),
    "celery": (check_celery, False),
    "storage": (check_storage, True),
}


def run_checks() -> tuple[bool, dict[str, dict[str, object]]]:
    """(healthy, per-check results): healthy when every required check is ok."""
    results = {name: _timed(check) for name, (check, _required) in CHECKS.items()}
    healthy = all(results[name].status == OK for name, (_c, required) in CHECKS.items() if required)
    return healthy, {name: result.as_dict() for name, result in results.items()}
