"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked `browser` (deselect with `-m "not browser"`). A test that
fails leaves a screenshot in test-artifacts/<test name>.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; Django refuses database access
# from a thread with a running loop unless told it is safe (the tests never share connections
# with the loop). Set before any test touches the database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright  # noqa: E402

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder `browser`, and run them after all the others.

    While Playwright runs, its event loop counts as running in the test thread: asgiref then
    keeps Django's connections in context-local storage, and async_to_sync/asyncio.run refuse
    to work. Running the browser tests last (after pytest-django's own reordering, kept
    otherwise) means no other test runs in that state.
    """
    browser_items = []
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
    if browser_items:
        chosen = set(browser_items)
        items[:] = [item for item in items if item not in chosen] + browser_items


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item (rep_setup, rep_call, rep_teardown)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright(django_db_setup) -> Iterator[Playwright]:
    """Started after the test database exists, so it is stopped before the database is dropped."""
    with sync_playwright() as pw:
        yield pw
        # The connections the test thread opened while Playwright's loop ran live in
        # context-local storage, which Django no longer sees once the loop stops: close them
        # now, or they hold the test database open and it cannot be dropped.
        connections.close_all()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium"),
        headless=True,
        args=CHROMIUM_ARGS,
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context, request: pytest.FixtureRequest) -> Page:
    page = context.new_page()

    def screenshot_on_failure() -> None:
        report = getattr(request.node, "rep_call", None)
        if report is None or not report.failed or page.is_closed():
            return
        artifacts = request.config.rootpath / "test-artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        except Exception as exc:  # a screenshot must never hide the test's own failure
            print(f"Could not save the failure screenshot: {exc}")

    # Registered after `context`'s setup, so it runs before the context is closed.
    request.addfinalizer(screenshot_on_failure)
    return page


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the login form and wait for the landing page ("My work"; leadership's
    is the dashboard)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator('form[action$="/accounts/login/"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/(reports/dashboard/)?$"))


def logout(page: Page, live_server) -> None:
    """Sign out with the navbar button (a POST form) and wait for the login page."""
    page.locator('form[action$="/accounts/logout/"] button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
