"""The SSO backend's own decisions, without a provider (the flow itself: test_oidc_flow.py)."""

from __future__ import annotations

import inspect

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import resolve
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.oidc import PortalOIDCBackend, Refused, is_sso_callback
from tests.conftest import configure_sso
from tests.factories import UserFactory

SSO = {
    "OIDC_RP_CLIENT_ID": "portal",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_DISCOVERY_URL": "http://127.0.0.1:9/openid",  # never reached by these tests
    "OIDC_TIMEOUT": "2",
}


@pytest.fixture
def backend(settings) -> PortalOIDCBackend:
    configure_sso(settings, SSO)
    return PortalOIDCBackend()


def test_the_backend_is_built_without_settings_or_network(settings):
    # Django builds it for every sign-in and session, SSO configured or not.
    assert PortalOIDCBackend().OIDC_RP_CLIENT_ID == ""


@pytest.mark.django_db
def test_users_are_matched_by_email_whatever_the_letter_case(backend):
    user = UserFactory(username="stc.cv", officer=True, email="nguyen.van.a@stc.phuyen.gov.vn")
    UserFactory(username="stc.ld", head=True, email="lanh.dao@stc.phuyen.gov.vn")
    found = backend.filter_users_by_claims({"email": " Nguyen.Van.A@STC.PhuYen.gov.vn "})
    assert list(found) == [user]
    assert not backend.filter_users_by_claims({"email": ""}).exists()


@pytest.mark.django_db
def test_a_user_without_an_email_is_never_matched_by_an_empty_claim(backend):
    UserFactory(username="stc.cv", officer=True, email="")
    with pytest.raises(Refused) as refused:
        backend.verify_claims({"email": "  "})
    assert refused.value.reason == "no_email"


@pytest.mark.parametrize(
    "claims, reason",
    [
        ({}, "no_email"),
        ({"email": "a@b.vn", "email_verified": False}, "unverified"),
        ({"email": "a@b.vn", "email_verified": "false"}, "unverified"),
        ({"email": "a@b.vn", "email_verified": None}, "unverified"),
    ],
)
def test_claims_without_a_verified_email_are_refused(backend, claims, reason):
    with pytest.raises(Refused) as refused:
        backend.verify_claims(claims)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "a@b.vn"},  # a provider that does not say
        {"email": "a@b.vn", "email_verified": True},
        {"email": "a@b.vn", "email_verified": "true"},
    ],
)
def test_an_email_is_accepted_when_verified_or_when_the_provider_does_not_say(backend, claims):
    assert backend.verify_claims(claims) is True


def test_sso_never_creates_a_user(backend):
    with pytest.raises(Refused) as refused:
        backend.create_user({"email": "moi@stc.phuyen.gov.vn"})
    assert refused.value.reason == "unknown"


@pytest.mark.parametrize(
    "payload, accepted",
    [
        ({"aud": "portal", "iss": "https://id.example/realms/tinh"}, True),
        ({"aud": ["other", "portal"], "iss": "https://id.example/realms/tinh"}, True),
        ({"aud": "another-app", "iss": "https://id.example/realms/tinh"}, False),
        ({"aud": "portal", "iss": "https://evil.example"}, False),
    ],
)
def test_an_id_token_must_be_for_the_portal_from_the_provider(
    backend, monkeypatch, payload, accepted
):
    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", lambda self, t, **k: payload)
    monkeypatch.setattr("accounts.oidc.expected_issuer", lambda: "https://id.example/realms/tinh")
    if accepted:
        assert backend.verify_token("token") == payload
    else:
        with pytest.raises(SuspiciousOperation):
            backend.verify_token("token")


def test_a_username_and_password_never_reach_the_sso_backend(backend):
    """Django hands a backend only the credentials its signature takes."""
    with pytest.raises(TypeError):
        inspect.signature(backend.authenticate).bind(None, username="stc.cv", password="pw")


def test_only_the_callback_is_exempt_from_the_lockout():
    factory = RequestFactory()
    callback = factory.get("/oidc/callback/?code=x&state=y")
    callback.resolver_match = resolve("/oidc/callback/")
    login = factory.post("/accounts/login/")
    login.resolver_match = resolve("/accounts/login/")
    assert is_sso_callback(callback, {"nonce": "n"})
    assert not is_sso_callback(callback, {"username": "stc.cv", "password": "pw"})
    assert not is_sso_callback(login, {"username": "stc.cv", "password": "pw"})
    assert not is_sso_callback(factory.get("/"), None)
