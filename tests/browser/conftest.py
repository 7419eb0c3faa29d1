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


# --- steps shared by the journeys ------------------------------------------------------------


@pytest.fixture
def before_merger(live_server, seed_plan):
    """The seed's map with the province merger not yet recorded, and an administrator
    (`quantri`). Returns (Phú Yên's committee, Đắk Lắk's)."""
    from accounts.models import User
    from plans.models import Agency
    from tests.factories import UserFactory

    phu_yen = Agency.objects.get(abbreviation="UBNDPY")
    dak_lak = Agency.objects.get(abbreviation="UBNDĐL")
    Agency.objects.filter(pk=phu_yen.pk).update(succeeded_by=None, succeeded_on=None)
    Agency.objects.filter(parent=dak_lak).exclude(kind=Agency.Kind.GROUP).update(parent=phu_yen)
    UserFactory(username="quantri", role=User.Role.ADMIN)
    return phu_yen, dak_lak


def preview_merger(page: Page, live_server, phu_yen, dak_lak) -> None:
    """The administrator fills the merger form (Phú Yên into Đắk Lắk, 01/07/2025) and sees
    what moves; nothing is saved yet."""
    from organisation.models import Reorganisation

    page.goto(f"{live_server.url}/agencies/reorganisations/new/")
    page.select_option("#id_kind", "merge")
    page.fill("#id_effective_on", "01/07/2025")
    page.select_option("#id_sources", str(phu_yen.pk))
    page.select_option("#id_successor", str(dak_lak.pk))
    page.fill("#id_legal_basis", "Nghị quyết số 202/2025/QH15")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Những gì thay đổi")
    expect(preview).to_contain_text("Sở Công Thương")
    expect(preview).to_contain_text("kế hoạch vẫn là của Ủy ban nhân dân tỉnh Phú Yên")
    assert Reorganisation.objects.count() == 0


def save_merger(page: Page, phu_yen, dak_lak) -> None:
    """Saves the previewed merger; the event and its effects show."""
    from plans.models import Agency

    page.get_by_role("button", name="Lưu và áp dụng").click()
    expect(page.locator("h1")).to_contain_text("Sáp nhập vào cơ quan khác · 01/07/2025")
    expect(page.locator("body")).to_contain_text("Đã ghi nhận và áp dụng")
    phu_yen.refresh_from_db()
    assert phu_yen.succeeded_by == dak_lak
    assert Agency.objects.get(abbreviation="SCT").parent == dak_lak


def invite_user(page: Page, live_server, *, agency, email: str, first: str, last: str) -> None:
    """The signed-in administrator invites an officer of the agency (people pages)."""
    page.locator('a[href="/people/"]').first.click()
    page.locator('a[href="/people/invite/"]').click()
    page.locator("#id_last_name").fill(last)
    page.locator("#id_first_name").fill(first)
    page.locator("#id_email").fill(email)
    page.locator("#id_role").select_option("officer")
    page.locator("#id_agency").select_option(str(agency.pk))
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.locator("#people-table")).to_contain_text(f"{last} {first}")


def accept_invitation(page: Page, live_server, *, email: str, password: str) -> str:
    """Signed out, the invited user opens the link from the e-mail (Django's test outbox), sets
    a password and signs in with it. Returns the link."""
    from django.core import mail

    [message] = [m for m in mail.outbox if email in m.to]
    link = re.search(r"http\S+/people/invitation/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.locator("main")).to_contain_text(email)
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    login(page, live_server, email, password)
    expect(page.locator(".portal-user")).to_contain_text(email)
    return link


def vi(message: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("vi"):
        return gettext(message)


def close_reopen_and_remind(page: Page, live_server, round_, *, reason: str) -> None:
    """The signed-in focal point closes the round, is refused a reopening without a reason,
    reopens it with one, and sends "remind now": once to every agency not yet submitted."""
    from reminders.models import SentReminder
    from reports.models import Round

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/reports/rounds/{round_.pk}/")
    page.click("#manage-round")
    expect(page.locator("#round-state")).to_contain_text(vi("Open"))
    page.fill("#close-form textarea[name=reason]", "Hết hạn nhận báo cáo")
    page.click("#close-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("Round closed: agencies can no longer change their reports.")
    )
    expect(page.locator("#round-state")).to_contain_text(vi("Closed"))
    assert not Round.objects.get(pk=round_.pk).is_open
    page.click("#reopen-form button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text(
        vi("Give the reason for reopening the round.")
    )
    assert not Round.objects.get(pk=round_.pk).is_open
    page.fill("#reopen-form textarea[name=reason]", reason)
    page.click("#reopen-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("Round reopened: agencies can save their reports again.")
    )
    expect(page.locator("#round-history")).to_contain_text(reason)
    assert Round.objects.get(pk=round_.pk).is_open
    pending = round_.submissions.count()
    page.click("#remind-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    assert SentReminder.objects.filter(step__startswith="now-", status="sent").exists()
    assert SentReminder.objects.filter(step__startswith="now-").count() == pending
