"""Single sign-on through the province's identity provider (OpenID Connect, mozilla-django-oidc).

The provider proves who the official is; the portal decides whether that person may come in. An
official is the portal user whose e-mail is the one the provider vouches for (case-insensitive);
accounts are made by the administrator, never here. Settings: the block at the end of
config/settings/base.py; the whole story: docs/sso.md.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_TTL = 60 * 60  # seconds: providers rotate keys, not endpoints


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be had, or lacks an endpoint."""


class Refused(Exception):
    """The provider vouched for someone the portal does not let in; `reason` says why."""

    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email


# --- the provider's endpoints ----------------------------------------------------------------

_discovered: dict[str, tuple[float, dict]] = {}
_discovery_lock = threading.Lock()

SETTING_FOR = {
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
    "end_session_endpoint": "OIDC_OP_LOGOUT_ENDPOINT",
}


def discovery_document() -> dict:
    """The provider's openid-configuration, fetched once an hour; {} without a discovery URL."""
    url = getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
    if not url:
        return {}
    if not url.rstrip("/").endswith(DISCOVERY_PATH):
        url = url.rstrip("/") + DISCOVERY_PATH
    with _discovery_lock:
        fetched = _discovered.get(url)
        if fetched and time.monotonic() - fetched[0] < DISCOVERY_TTL:
            return fetched[1]
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"discovery document {url}: {exc}") from exc
        _discovered[url] = (time.monotonic(), document)
        return document


def provider_endpoint(name: str, *, required: bool = True) -> str:
    """An endpoint of the provider: its own variable wins over the discovery document."""
    value = getattr(settings, SETTING_FOR[name], "") or discovery_document().get(name, "")
    if required and not value:
        raise ProviderUnavailable(f"the provider has no {name}")
    return value


def expected_issuer() -> str:
    return discovery_document().get("issuer", "")


# --- signing in --------------------------------------------------------------------------------


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the one active portal user whose e-mail the provider has vouched for."""

    def __init__(self, *args, **kwargs) -> None:
        # Django builds every backend for each sign-in (local ones too) and for each request's
        # session user: no network and no setting that may be missing here.
        self.OIDC_RP_CLIENT_ID = getattr(settings, "OIDC_RP_CLIENT_ID", "")
        self.OIDC_RP_CLIENT_SECRET = getattr(settings, "OIDC_RP_CLIENT_SECRET", "")
        self.OIDC_RP_SIGN_ALGO = getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None  # always the provider's JWKS
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_endpoint("token_endpoint"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_endpoint("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_endpoint("jwks_uri"))

    def authenticate(self, request, nonce=None, code_verifier=None):
        """Only the callback's credentials fit this signature, so Django never hands this
        backend a username and password: local sign-in stays with the model backend (and axes)."""
        if request is None or not getattr(settings, "OIDC_ENABLED", False):
            return None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except Refused as refusal:
            request.sso_refusal = refusal
        except ProviderUnavailable as exc:
            logger.warning("Single sign-on: the provider is unavailable: %s", exc)
            request.sso_refusal = Refused("unavailable")
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, ValueError) as exc:
            # A failed code exchange, a bad signature, nonce, audience or issuer.
            logger.warning("Single sign-on failed: %s", exc)
            request.sso_refusal = Refused("failed")
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks neither audience nor issuer; a token must be ours and the
        # provider's.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        issuer = expected_issuer()
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def verify_claims(self, claims) -> bool:
        email = (claims.get("email") or "").strip()
        if not email:
            raise Refused("no_email")
        # A provider that says whether it checked the address must have checked it: anyone can
        # type a colleague's address into an account that verifies nothing.
        if "email_verified" in claims and claims["email_verified"] not in (True, "true"):
            raise Refused("unverified", email)
        return True

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def create_user(self, claims):
        raise Refused("unknown", claims.get("email", ""))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.verify_claims(claims)
        email = claims["email"].strip()
        users = list(self.filter_users_by_claims(claims).order_by("pk")[:10])
        if not users:
            return self.create_user(claims)
        if len(users) > 1:
            logger.error(
                "Single sign-on refused: portal users %s share the e-mail %s; the administrator "
                "must give each a different one.",
                ", ".join(f"{user.username} (#{user.pk})" for user in users),
                email,
            )
            raise Refused("duplicate", email)
        user = users[0]
        if not self.user_can_authenticate(user):
            logger.info("Single sign-on refused: portal user %s is inactive.", user.username)
            raise Refused("inactive", email)
        return self.update_user(user, claims)


def is_sso_callback(request, credentials=None) -> bool:
    """django-axes' whitelist: the SSO callback, which carries no portal password."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "oidc_authentication_callback") and not (
        credentials or {}
    ).get("password")


# --- views (mounted at /oidc/ by mozilla_django_oidc.urls) -------------------------------------


def refusal_message(refusal: Refused) -> str:
    texts = {
        "unknown": _(
            "No portal account has the e-mail address %(email)s. Accounts are created by the "
            "portal administrator, not by single sign-on: ask yours to create one."
        ),
        "inactive": _(
            "The portal account with the e-mail address %(email)s is disabled. Contact the "
            "portal administrator."
        ),
        "duplicate": _(
            "More than one portal account has the e-mail address %(email)s, so single sign-on "
            "cannot tell which one is yours. Ask the portal administrator to correct the "
            "accounts; until then, sign in with your username and password."
        ),
        "unverified": _(
            "The province's identity provider has not verified the e-mail address %(email)s, "
            "so the portal cannot match it to an account."
        ),
        "no_email": _(
            "The province's identity provider did not send an e-mail address, so the portal "
            "cannot match you to an account."
        ),
        "unavailable": _(
            "The province's identity provider cannot be reached right now. Try again later, or "
            "sign in with your username and password."
        ),
        "failed": _(
            "Single sign-on did not complete. Try again, or sign in with your username and "
            "password."
        ),
    }
    text = texts.get(refusal.reason, texts["failed"])
    return text % {"email": refusal.email}


class OnlyWhenConfigured:
    """Without SSO configured, the /oidc/ views are as absent as they were before."""

    def dispatch(self, request, *args, **kwargs):
        if not getattr(settings, "OIDC_ENABLED", False):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SignInView(OnlyWhenConfigured, OIDCAuthenticationRequestView):
    """Sends the official to the provider's sign-in page (the SSO button's link)."""

    def __init__(self, **kwargs) -> None:
        # The parent reads the endpoint here; it may need the network, so it waits for get().
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)
        self.OIDC_RP_CLIENT_ID = getattr(settings, "OIDC_RP_CLIENT_ID", "")

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:  # the parent's attribute, read lazily
        return provider_endpoint("authorization_endpoint")

    def get(self, request):
        try:
            return super().get(request)
        except ProviderUnavailable as exc:
            logger.warning("Single sign-on: the provider is unavailable: %s", exc)
            messages.error(request, refusal_message(Refused("unavailable")))
            return redirect("login")


class CallbackView(OnlyWhenConfigured, OIDCAuthenticationCallbackView):
    """Where the provider sends the official back; a refusal is told on the sign-in page."""

    def login_failure(self):
        refusal = getattr(self.request, "sso_refusal", None) or Refused("failed")
        messages.error(self.request, refusal_message(refusal))
        return redirect("login")


def provider_logout_url(request) -> str:
    """Where signing out of an SSO session goes: the provider's end_session_endpoint, which
    signs the official out there too and sends them back to the portal's sign-in page."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    try:
        endpoint = provider_endpoint("end_session_endpoint", required=False)
    except ProviderUnavailable as exc:
        logger.warning("Single sign-on: the provider is unavailable at sign-out: %s", exc)
        endpoint = ""
    if not endpoint or not id_token:
        return after
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(query)}"


def signed_in_with_sso(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == settings.OIDC_BACKEND
