"""Single sign-on's configuration: off (exactly as before) without the variables, fail-loud on a
half configuration, and safe while the provider cannot be reached. The real sign-in flow is in
test_oidc_flow.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.settings.base import oidc_settings
from tests.conftest import configure_sso, page_text
from tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)
CSP = {"DIRECTIVES": {"form-action": ["'self'"], "default-src": ["'self'"]}}
BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
DEAD_PROVIDER = {  # nothing listens on port 9 (discard) here
    "OIDC_RP_CLIENT_ID": "portal",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_DISCOVERY_URL": "http://127.0.0.1:9/openid",
    "OIDC_TIMEOUT": "2",
}
UNAVAILABLE_VI = "Hiện không kết nối được với hệ thống xác thực của tỉnh"


# --- not configured ---------------------------------------------------------------------------


def test_without_the_variables_nothing_is_added():
    assert oidc_settings({}, backends=BACKENDS, csp=CSP) == {}
    assert settings.OIDC_ENABLED is False
    assert "accounts.oidc.PortalOIDCBackend" not in settings.AUTHENTICATION_BACKENDS


@pytest.mark.django_db
def test_without_sso_the_sign_in_page_has_no_button(client):
    page = page_text(client.get(reverse("login")))
    assert 'id="sso-sign-in"' not in page
    assert "Đăng nhập một lần (SSO)" not in page
    assert "/oidc/" not in page


@pytest.mark.django_db
def test_without_sso_the_oidc_urls_are_not_there(client, officer):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert "_auth_user_id" not in client.session
    # A signed-in user's pages keep the portal's own sign-out.
    client.force_login(officer)
    assert 'action="/accounts/logout/"' in client.get(reverse("home")).content.decode()


PROBE = """
import json
import django
from django.conf import settings
from django.core.management import call_command
django.setup()
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps({
    "backends": settings.AUTHENTICATION_BACKENDS,
    "form_action": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    "enabled": settings.OIDC_ENABLED,
}))
"""


def _probe(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OIDC_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 64 + "-probe-only-not-a-real-secret",
        "ALLOWED_HOSTS": "portal.example.gov.vn",
        "SITE_URL": "https://portal.example.gov.vn",
        "SIGNING_KEY": Fernet.generate_key().decode(),
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_without_sso_are_as_before():
    values = _probe()
    assert values == {"backends": BACKENDS, "form_action": ["'self'"], "enabled": False}


def test_production_settings_with_sso_keep_axes_first_and_pass_the_deploy_checks():
    values = _probe(
        OIDC_RP_CLIENT_ID="portal",
        OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_DISCOVERY_URL="https://id.phuyen.gov.vn/realms/tinh",
    )
    assert values == {
        "backends": [*BACKENDS, "accounts.oidc.PortalOIDCBackend"],
        "form_action": ["'self'", "https://id.phuyen.gov.vn"],
        "enabled": True,
    }


# --- a half configuration fails loudly --------------------------------------------------------


@pytest.mark.parametrize(
    "environ, complaint",
    [
        ({"OIDC_RP_CLIENT_ID": "portal"}, "OIDC_RP_CLIENT_SECRET"),
        ({"OIDC_RP_CLIENT_ID": "portal", "OIDC_RP_CLIENT_SECRET": "s"}, "OIDC_OP_DISCOVERY_URL"),
        (
            {
                "OIDC_RP_CLIENT_ID": "portal",
                "OIDC_RP_CLIENT_SECRET": "s",
                "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.example/auth",
            },
            "OIDC_OP_TOKEN_ENDPOINT",
        ),
        ({**DEAD_PROVIDER, "OIDC_RP_SIGN_ALGO": "HS256"}, "RS256"),
        ({**DEAD_PROVIDER, "OIDC_TIMEOUT": "soon"}, "OIDC_TIMEOUT"),
    ],
)
def test_a_half_configuration_is_refused(environ, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        oidc_settings(environ, backends=BACKENDS, csp=CSP)


def test_the_endpoints_can_be_given_one_by_one():
    derived = oidc_settings(
        {
            "OIDC_RP_CLIENT_ID": "portal",
            "OIDC_RP_CLIENT_SECRET": "s",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.example.gov.vn/auth",
            "OIDC_OP_TOKEN_ENDPOINT": "https://id.example.gov.vn/token",
            "OIDC_OP_USER_ENDPOINT": "https://id.example.gov.vn/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": "https://id.example.gov.vn/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": "https://sso.example.gov.vn/logout",
        },
        backends=BACKENDS,
        csp=CSP,
    )
    assert derived["OIDC_OP_TOKEN_ENDPOINT"] == "https://id.example.gov.vn/token"
    assert derived["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert derived["OIDC_CREATE_USER"] is False
    assert derived["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] == [
        "'self'",
        "https://sso.example.gov.vn",
        "https://id.example.gov.vn",
    ]
    assert CSP["DIRECTIVES"]["form-action"] == ["'self'"]  # the portal's own is not changed


# --- configured, with the provider down --------------------------------------------------------


@pytest.fixture
def sso_down(settings):
    configure_sso(settings, DEAD_PROVIDER)


@pytest.mark.django_db
@pytest.mark.usefixtures("sso_down")
def test_the_button_says_so_when_the_provider_is_down(client):
    page = page_text(client.get(reverse("login")))
    assert 'id="sso-sign-in"' in page and "Đăng nhập một lần (SSO)" in page
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert UNAVAILABLE_VI in page_text(response)


@pytest.mark.django_db
@pytest.mark.usefixtures("sso_down")
def test_local_sign_in_needs_no_provider(client):
    UserFactory(username="stc.cv", officer=True)
    url = reverse("login") + "?code=forged&state=forged"  # never handed to the SSO backend
    assert client.post(url, {"username": "stc.cv", "password": "sai"}).status_code == 200
    response = client.post(url, {"username": "stc.cv", "password": "pw"})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


@pytest.mark.django_db
@pytest.mark.usefixtures("sso_down")
def test_local_sign_in_is_still_throttled_with_sso_configured(client):
    UserFactory(username="stc.cv", officer=True)
    for _ in range(5):
        client.post(reverse("login"), {"username": "stc.cv", "password": "sai"})
    locked = client.post(reverse("login"), {"username": "stc.cv", "password": "pw"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.usefixtures("sso_down")
def test_a_callback_the_portal_did_not_start_is_refused(client):
    response = client.get("/oidc/callback/", {"code": "forged", "state": "forged"}, follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Đăng nhập một lần chưa thành công" in page_text(response)
    assert "_auth_user_id" not in client.session
