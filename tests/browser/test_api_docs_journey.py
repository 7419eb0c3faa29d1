"""The API's documentation page in a real browser: Swagger UI draws the schema from files the
portal serves itself (no CDN), under the portal's Content-Security-Policy, without a token."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_draws_every_endpoint_from_local_files(page: Page, live_server):
    origin = urlsplit(live_server.url).netloc
    requested: list[str] = []
    console_errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))

    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.status == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"  # only the inline styles Swagger UI sets are let in

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("read API")
    for path in ("/api/v1/plans/", "/api/v1/tasks/", "/api/v1/submissions/"):
        expect(page.locator(f".opblock-summary-path[data-path='{path}']")).to_be_visible()
    assert {urlsplit(url).netloc for url in requested if url.startswith("http")} == {origin}
    assert [e for e in console_errors if "Content Security Policy" in e] == []
