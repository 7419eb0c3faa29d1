"""Request logs: one record per request with its id, user and path, written as a JSON line."""

from __future__ import annotations

import io
import json
import logging

import pytest

from operations.logging import PortalJsonFormatter, RequestContextFilter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_records(caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    return lambda: [r for r in caplog.records if r.name == "portal.request"]


def test_each_request_is_logged_with_its_id_user_and_path(client, request_records):
    user = UserFactory(officer=True)
    client.force_login(user)
    response = client.get("/inbox/", HTTP_X_REQUEST_ID="lb-1234")
    assert response["X-Request-ID"] == "lb-1234"
    (record,) = request_records()
    assert record.request_id == "lb-1234"
    assert record.user_id == user.pk
    assert record.path == "/inbox/"
    assert record.status == 200
    assert record.method == "GET"


def test_a_request_without_a_sane_id_gets_a_new_one(client, request_records):
    response = client.get("/health/live/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    (record,) = request_records()
    assert record.request_id == response["X-Request-ID"]
    assert len(record.request_id) == 32
    assert record.user_id is None


def test_the_json_formatter_writes_one_object_a_line_with_the_request_fields(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(PortalJsonFormatter())
    logger = logging.getLogger("portal.request")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        response = client.get("/health/live/?q=Sở", HTTP_X_REQUEST_ID="abc-1")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["request_id"] == "abc-1" == response["X-Request-ID"]
    assert line["path"] == "/health/live/"
    assert line["user_id"] is None
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["logger"] == "portal.request"
    assert line["message"] == "GET /health/live/ 200"
    assert "time" in line


def test_records_logged_outside_a_request_carry_empty_request_fields():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestContextFilter().filter(record)
    assert (record.request_id, record.user_id, record.path) == (None, None, None)
