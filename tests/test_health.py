"""/health/ against the real PostgreSQL, Redis and media folder; /health/live/ touches nothing."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

WRONG_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_all_services_up_answers_200_with_each_check(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "celery", "storage"}
    for name in ("database", "redis", "storage"):
        assert body["checks"][name]["status"] == "ok", body
        assert body["checks"][name]["latency_ms"] >= 0
    # Nothing but the database check's SELECT 1: no session, no writes.
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert "sessionid" not in response.cookies
    assert list(tmp_path.iterdir()) == []  # the storage probe cleaned up after itself


def test_no_celery_worker_is_degraded_but_does_not_fail_the_check(client):
    # The test settings run tasks eagerly and no worker listens on this Redis database.
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["celery"] == {
        "status": "degraded",
        "latency_ms": response.json()["checks"]["celery"]["latency_ms"],
        "detail": "no workers",
    }


def test_a_wrong_redis_url_answers_503_quickly(client, settings):
    settings.REDIS_URL = WRONG_REDIS
    settings.CELERY_BROKER_URL = WRONG_REDIS
    start = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - start < 5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["redis"]["status"] == "error"
    assert "Connection" in body["checks"]["redis"]["detail"]
    assert body["checks"]["celery"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def test_storage_that_cannot_be_written_answers_503(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "error"


def test_live_touches_no_service(client, settings):
    settings.REDIS_URL = WRONG_REDIS
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert queries.captured_queries == []


def test_health_refuses_a_post(client):
    assert client.post("/health/").status_code == 405
