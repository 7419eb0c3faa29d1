"""Single sign-on in a real browser: Chromium presses the SSO button, signs in on the real
provider's page (django-oidc-provider on 127.0.0.1, tests/oidc_provider) and comes back; signing
out goes through the provider's sign-out page, which the portal's Content-Security-Policy must let
the sign-out form's redirect reach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.oidc_provider.provider import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def officer_with_email(db) -> User:
    return UserFactory(username="stc.cv", officer=True, email="nguyen.van.a@stc.phuyen.gov.vn")


def sign_in_at_provider(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Đăng nhập một lần (SSO)").click()
    expect(page.locator("#op-login")).to_be_visible()  # the provider's own page
    assert page.url.startswith("http://127.0.0.1:")
    page.locator("#op-username").fill(username)
    page.locator("#op-password").fill(PASSWORD)
    page.locator("#op-submit").click()


def test_an_official_signs_in_with_the_provider_and_signs_out_there_too(
    page: Page, live_server, sso, officer_with_email
):
    blocked: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", on_console)

    sign_in_at_provider(page, live_server, "op.officer")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".portal-user")).to_contain_text("stc.cv")

    page.locator('form[action$="/oidc/logout/"] button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".portal-user")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    # Signed out at the provider as well: SSO asks for the password again.
    page.get_by_role("link", name="Đăng nhập một lần (SSO)").click()
    expect(page.locator("#op-login")).to_be_visible()
    assert blocked == []


def test_an_email_with_no_portal_account_is_refused_on_the_sign_in_page(
    page: Page, live_server, sso, officer_with_email
):
    sign_in_at_provider(page, live_server, "op.stranger")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    alert = page.locator(".portal-messages .alert-danger")
    expect(alert).to_contain_text("Không có tài khoản nào trên cổng")
    expect(alert).to_contain_text("khach@example.gov.vn")
    expect(page.locator(".portal-user")).to_have_count(0)


def test_local_sign_in_beside_the_sso_button(page: Page, live_server, sso, officer_with_email):
    login(page, live_server, "stc.cv", "pw")
    expect(page.locator(".portal-user")).to_contain_text("stc.cv")
    expect(page.locator('form[action$="/accounts/logout/"]')).to_have_count(1)
