"""The administrator invites someone; they open the link from the e-mail, set a password and
sign in (people/)."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.conftest import login, logout

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
    page.locator('a[href="/people/"]').first.click()
    page.locator('a[href="/people/invite/"]').click()
    page.locator("#id_last_name").fill("Nguyễn Văn")
    page.locator("#id_first_name").fill("Bình")
    page.locator("#id_email").fill("binh@stc.gov.vn")
    page.locator("#id_role").select_option("officer")
    page.locator("#id_agency").select_option(str(agency.pk))
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.locator("#people-table")).to_contain_text("Nguyễn Văn Bình")
    logout(page, live_server)

    [message] = mail.outbox
    link = re.search(r"http\S+/people/invitation/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.locator("main")).to_contain_text("binh@stc.gov.vn")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")

    login(page, live_server, "binh@stc.gov.vn", PASSWORD)
    expect(page.locator(".portal-user")).to_contain_text("binh@stc.gov.vn")

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
