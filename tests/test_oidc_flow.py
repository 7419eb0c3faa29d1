"""Single sign-on against a real OpenID provider (django-oidc-provider on 127.0.0.1, see
tests/oidc_provider): an HTTP client follows every redirect between the portal's live server
and the provider, as a browser would, and signs in at the provider's own page."""

from __future__ import annotations

import html
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt, AccessFailureLog

from accounts.models import User
from tests.factories import UserFactory
from tests.oidc_provider.provider import PASSWORD

TIMEOUT = 15

REFUSED_UNKNOWN_VI = (
    "Không có tài khoản nào trên cổng mang địa chỉ thư điện tử khach@example.gov.vn"
)
REFUSED_INACTIVE_VI = "nghi.huu@stc.phuyen.gov.vn đã bị khóa"
REFUSED_DUPLICATE_VI = "Có nhiều tài khoản trên cổng cùng mang địa chỉ thư điện tử chung@"
REFUSED_UNVERIFIED_VI = "chưa xác minh địa chỉ thư điện tử nguyen.van.a@stc.phuyen.gov.vn"


@pytest.fixture
def portal_users(db):
    """Portal accounts whose e-mails the provider's accounts (ACCOUNTS) carry."""
    officer = UserFactory(username="stc.cv", officer=True, email="nguyen.van.a@stc.phuyen.gov.vn")
    UserFactory(
        username="stc.nghihuu", officer=True, email="nghi.huu@stc.phuyen.gov.vn", is_active=False
    )
    UserFactory(username="stc.chung1", officer=True, email="chung@stc.phuyen.gov.vn")
    UserFactory(username="stc.chung2", head=True, email="CHUNG@stc.phuyen.gov.vn")
    return officer


def text(response: requests.Response) -> str:
    return html.unescape(response.text)


def sso_sign_in(
    portal: str, username: str, *, session: requests.Session | None = None, next_url: str = ""
) -> tuple[requests.Session, requests.Response]:
    """Press the SSO button, sign in at the provider's page, follow the redirects back."""
    session = session or requests.Session()
    start = f"{portal}/oidc/authenticate/" + (f"?next={next_url}" if next_url else "")
    at_provider = session.get(start, timeout=TIMEOUT)
    assert at_provider.status_code == 200, at_provider.text
    assert "/accounts/login/" in at_provider.url and "127.0.0.1" in at_provider.url
    provider_next = parse_qs(urlsplit(at_provider.url).query)["next"][0]
    back = session.post(
        at_provider.url,
        data={
            "username": username,
            "password": PASSWORD,
            "next": provider_next,
            "csrfmiddlewaretoken": session.cookies["op_csrftoken"],
        },
        timeout=TIMEOUT,
    )
    return session, back


def signed_in_username(session: requests.Session, portal: str) -> str | None:
    """Who the portal says is signed in (the navbar), or None when it sends us to sign in."""
    response = session.get(f"{portal}/", timeout=TIMEOUT)
    if urlsplit(response.url).path == "/accounts/login/":
        return None
    match = re.search(r'<span class="fw-semibold d-xxl-none">([^<]+)</span>', response.text)
    return match and match.group(1)


def test_an_official_signs_in_through_the_provider_as_the_matching_portal_user(
    live_server, sso, portal_users
):
    # The provider's e-mail is Nguyen.Van.A@STC.PhuYen.gov.vn: letter case does not matter.
    session, landed = sso_sign_in(live_server.url, "op.officer")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/"
    assert signed_in_username(session, live_server.url) == "stc.cv"
    # Signed in by SSO: the navbar's sign-out goes through the provider's sign-out.
    assert 'action="/oidc/logout/"' in landed.text


def test_the_page_asked_for_is_where_the_official_lands(live_server, sso, portal_users):
    session, landed = sso_sign_in(live_server.url, "op.officer", next_url="/inbox/")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/inbox/"


def test_an_email_no_portal_user_has_is_refused_and_stays_signed_out(
    live_server, sso, portal_users
):
    users_before = User.objects.count()
    session, landed = sso_sign_in(live_server.url, "op.stranger")
    assert landed.url == f"{live_server.url}/accounts/login/"
    assert REFUSED_UNKNOWN_VI in text(landed)
    assert 'class="alert alert-danger' in landed.text  # the portal's own alert
    assert signed_in_username(session, live_server.url) is None
    # Single sign-on never creates an account.
    assert User.objects.count() == users_before


def test_an_inactive_portal_user_is_refused(live_server, sso, portal_users):
    session, landed = sso_sign_in(live_server.url, "op.retired")
    assert landed.url == f"{live_server.url}/accounts/login/"
    assert REFUSED_INACTIVE_VI in text(landed)
    assert signed_in_username(session, live_server.url) is None


def test_two_portal_users_with_the_email_are_refused_and_logged(
    live_server, sso, portal_users, caplog
):
    caplog.set_level(logging.ERROR, logger="accounts.oidc")
    session, landed = sso_sign_in(live_server.url, "op.twin")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/accounts/login/"
    assert REFUSED_DUPLICATE_VI in text(landed)
    assert signed_in_username(session, live_server.url) is None
    logged = [r.getMessage() for r in caplog.records if r.name == "accounts.oidc"]
    assert any("stc.chung1" in m and "stc.chung2" in m for m in logged), logged


def test_an_email_the_provider_has_not_verified_is_refused(live_server, sso, portal_users):
    # The address is stc.cv's, but the provider says it never checked it.
    session, landed = sso_sign_in(live_server.url, "op.unverified")
    assert REFUSED_UNVERIFIED_VI in text(landed)
    assert signed_in_username(session, live_server.url) is None


def test_the_message_is_in_english_for_english_readers(live_server, sso, portal_users):
    session = requests.Session()
    session.cookies.set("django_language", "en")
    session, landed = sso_sign_in(live_server.url, "op.stranger", session=session)
    assert "No portal account has the e-mail address khach@example.gov.vn" in text(landed)


def test_local_sign_in_still_works_with_sso_configured(live_server, sso, portal_users):
    session = requests.Session()
    page = session.get(f"{live_server.url}/accounts/login/", timeout=TIMEOUT)
    assert "Đăng nhập một lần (SSO)" in text(page)
    landed = session.post(
        page.url,
        data={
            "username": "stc.cv",
            "password": "pw",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=TIMEOUT,
    )
    assert landed.url == f"{live_server.url}/"
    assert signed_in_username(session, live_server.url) == "stc.cv"
    # Signed in locally: signing out stays with the portal.
    assert 'action="/accounts/logout/"' in landed.text


def test_refused_sso_sign_ins_count_for_nothing_in_the_lockout(live_server, sso, portal_users):
    for _ in range(6):  # more than AXES_FAILURE_LIMIT
        _session, landed = sso_sign_in(live_server.url, "op.stranger")
        assert REFUSED_UNKNOWN_VI in text(landed)
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    # The provider's own accounts still come in from the same address.
    session, landed = sso_sign_in(live_server.url, "op.officer")
    assert signed_in_username(session, live_server.url) == "stc.cv"


def test_signing_out_ends_the_portal_session_and_the_providers(live_server, sso, portal_users):
    session, landed = sso_sign_in(live_server.url, "op.officer")
    home = session.get(f"{live_server.url}/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    out = session.post(
        f"{live_server.url}/oidc/logout/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert out.status_code == 302
    end_session = urlsplit(out.headers["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == sso.url
    assert end_session.path == "/openid/end-session"
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == [f"{live_server.url}/accounts/login/"]
    assert query["id_token_hint"]
    # The provider signs the official out and sends them back to the portal's sign-in page.
    back = session.get(out.headers["Location"], timeout=TIMEOUT)
    assert back.url == f"{live_server.url}/accounts/login/"
    assert signed_in_username(session, live_server.url) is None
    # Signed out at the provider too: the next SSO sign-in asks for the password again.
    again = session.get(f"{live_server.url}/oidc/authenticate/", timeout=TIMEOUT)
    assert urlsplit(again.url).path == "/accounts/login/" and "127.0.0.1" in again.url
