"""Sign-in throttling counts by the real client address: X-Forwarded-For is believed only from
a configured proxy, so a client reaching gunicorn directly cannot forge its way past a lockout."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def test_a_forged_header_sent_straight_to_gunicorn_is_ignored(proxies):
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_address_it_appended_counts(proxies):
    forged_then_real = "198.51.100.1, 203.0.113.9"
    assert client_ip(_request("127.0.0.1", forged_then_real)) == "203.0.113.9"
    assert client_ip(_request("10.1.2.3", forged_then_real)) == "203.0.113.9"


def test_no_header_or_no_trusted_proxy_means_the_connection_address(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "198.51.100.1")) == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"


def test_production_settings_use_it(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.vn")
    monkeypatch.setenv("SITE_URL", "https://portal.example.vn")
    monkeypatch.setenv("TRUSTED_PROXIES", "172.18.0.1")
    production = importlib.import_module("config.settings.production")
    production = importlib.reload(production)
    assert production.AXES_CLIENT_IP_CALLABLE is client_ip
    assert production.TRUSTED_PROXIES == ["172.18.0.1"]
