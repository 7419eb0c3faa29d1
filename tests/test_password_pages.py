"""Password reset and change: the portal's own pages (the admin's link included), and a reset
throttle per address and per client that answers alike for addresses with and without an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from config.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL_MARKER = 'class="navbar navbar-expand-lg portal-navbar"'
THROTTLED_VI = "Yêu cầu đặt lại mật khẩu quá nhiều lần"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _portal_page(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert PORTAL_MARKER in html
    assert "Django" not in html
    return html


@pytest.mark.parametrize(
    "url",
    [
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_complete"),
        reverse("password_reset_confirm", args=["MQ", "made-up-token"]),
    ],
)
def test_the_reset_pages_use_the_portal_look(client, url):
    _portal_page(client.get(url))


@pytest.mark.parametrize(
    "url", [reverse("password_change"), reverse("password_change_done"), "/admin/password_change/"]
)
def test_the_change_pages_use_the_portal_look_the_admins_too(client, url):
    client.force_login(UserFactory(admin=True))
    _portal_page(client.get(url))


def test_the_admins_password_change_link_leads_to_the_portal_page(client):
    client.force_login(UserFactory(admin=True))
    assert 'href="/admin/password_change/"' in client.get("/admin/").content.decode()
    html = _portal_page(client.get("/admin/password_change/"))
    assert 'name="new_password1"' in html and "form-control" in html


def _without_token_or_address(response) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r"[a-z.]+@example\.gov\.vn", "ADDRESS", html)


def _ask(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_a_reset_sends_the_mail(client):
    UserFactory(email="can.bo@example.gov.vn")
    response = _ask(client, "can.bo@example.gov.vn")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["can.bo@example.gov.vn"]


def test_a_fourth_request_for_one_address_is_refused_with_a_vietnamese_message(client):
    UserFactory(email="can.bo@example.gov.vn")
    for _ in range(3):
        assert _ask(client, "can.bo@example.gov.vn").status_code == 302
    assert len(mail.outbox) == 3
    refused = _ask(client, "Can.Bo@example.gov.vn")
    assert refused.status_code == 429
    assert THROTTLED_VI in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_refusal_is_the_same_for_an_address_without_an_account(client):
    UserFactory(email="can.bo@example.gov.vn")
    answers = {}
    for email in ("can.bo@example.gov.vn", "khong.co@example.gov.vn"):
        for _ in range(3):
            _ask(client, email)
        answers[email] = _ask(client, email)
    known, unknown = answers.values()
    assert known.status_code == unknown.status_code == 429
    assert _without_token_or_address(known) == _without_token_or_address(unknown)


def test_one_client_is_limited_across_addresses_but_another_is_not(client, settings):
    settings.AXES_CLIENT_IP_CALLABLE = client_ip
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "127.0.0.1"}
    for number in range(10):
        assert _ask(client, f"nguoi{number}@example.gov.vn", **proxied).status_code == 302
    refused = _ask(client, "nguoi10@example.gov.vn", **proxied)
    assert refused.status_code == 429
    assert THROTTLED_VI in refused.content.decode()
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.4", "REMOTE_ADDR": "127.0.0.1"}
    assert _ask(client, "nguoi10@example.gov.vn", **other).status_code == 302
