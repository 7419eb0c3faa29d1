"""The administrator invites someone; they open the link from the e-mail, set a password and
sign in (people/)."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.conftest import accept_invitation, invite_user, login, logout

PASSWORD = "Mật-khẩu-mới-2026"


def test_an_invited_user_sets_a_password_from_the_e_mail_and_signs_in(
    page: Page, live_server, agency, settings
):
    settings.SITE_URL = live_server.url
    User.objects.create_user(
        username="admin", password="pw", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )
    mail.outbox.clear()
    login(page, live_server, "admin", "pw")
    invite_user(page, live_server, agency=agency, email="binh@stc.gov.vn", first="Bình",
                last="Nguyễn Văn")  # fmt: skip
    logout(page, live_server)
    link = accept_invitation(page, live_server, email="binh@stc.gov.vn", password=PASSWORD)

    # The link has done its work: opened again, it says so.
    page.goto(link)
    expect(page.locator("#invitation-refused")).to_be_visible()


def test_the_people_page_fits_a_phone(page: Page, live_server, agency):
    User.objects.create_user(
        username="admin", password="pw", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "admin", "pw")
    page.goto(f"{live_server.url}/people/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
