"""Security settings and behaviour: deploy checks, sign-in throttling, the Content-Security-Policy,
and file names that never reach the disk as the user wrote them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.models import Evidence, Submission
from tests.conftest import submission_post_data
from tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 64


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "DEBUG", "SITE_URL", "SESSION_")
        )
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.gov.vn",
        "SITE_URL": "https://portal.example.gov.vn",
        "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SIGNING_KEY": Fernet.generate_key().decode(),
    }
    return env | extra


# --- production settings ------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_checks_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_PROBE = """
import json
import django
from django.conf import settings
from django.test import RequestFactory
django.setup()
factory = RequestFactory()
proxied = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
forged = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="198.51.100.4")
direct = factory.get("/", REMOTE_ADDR="198.51.100.4")
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "SITE_URL": settings.SITE_URL,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
    "SESSION_SAVE_EVERY_REQUEST": settings.SESSION_SAVE_EVERY_REQUEST,
    "LANGUAGE_COOKIE_SECURE": settings.LANGUAGE_COOKIE_SECURE,
    "LANGUAGE_COOKIE_SAMESITE": settings.LANGUAGE_COOKIE_SAMESITE,
    "proxied_ip": settings.AXES_CLIENT_IP_CALLABLE(proxied),
    "direct_ip": settings.AXES_CLIENT_IP_CALLABLE(direct),
    "forged_ip": settings.AXES_CLIENT_IP_CALLABLE(forged),
}))
"""


def test_production_cookies_are_secure_and_hsts_lasts_a_year():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    # Behind the proxy, the address the proxy appended counts, not what the client claimed.
    assert values["proxied_ip"] == "203.0.113.7"
    assert values["direct_ip"] == "198.51.100.4"
    # gunicorn reached directly: a forged header does not move the lockout to another address
    assert values["forged_ip"] == "198.51.100.4"


def _probe_production(**extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=BASE_DIR,
        env=_production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sessions_end_after_eight_idle_hours_unless_told_otherwise():
    values = _probe_production()
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    # every request saves the session, so the eight hours count from the last one
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True
    assert _probe_production(SESSION_IDLE_HOURS="2")["SESSION_COOKIE_AGE"] == 2 * 60 * 60


def test_production_language_cookie_is_secure_and_same_site_lax():
    values = _probe_production()
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SAMESITE"] == "Lax"


def test_production_hsts_preload_is_off_unless_asked_for():
    assert _probe_production()["SECURE_HSTS_PRELOAD"] is False
    assert _probe_production(SECURE_HSTS_PRELOAD="true")["SECURE_HSTS_PRELOAD"] is True


def test_production_site_url_is_read_without_a_trailing_slash():
    values = _probe_production(SITE_URL="https://kehoach.example.gov.vn/")
    assert values["SITE_URL"] == "https://kehoach.example.gov.vn"


@pytest.mark.parametrize("site_url", [None, "", "kehoach.example.gov.vn"])
def test_production_refuses_to_start_without_a_site_url(site_url):
    env = _production_env()
    if site_url is None:
        del env["SITE_URL"]
    else:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SITE_URL to the portal's public address" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- sign-in throttling (django-axes) -----------------------------------------------------------

LOCKED_VI = "Tạm khóa đăng nhập"


@pytest.fixture
def login_url():
    return reverse("login")


def _attempt(client, url, username, password, ip="192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_from_that_address(client, login_url):
    UserFactory(username="stc.cv", officer=True)
    for _ in range(4):
        assert _attempt(client, login_url, "stc.cv", "sai").status_code == 200
    fifth = _attempt(client, login_url, "stc.cv", "sai")
    assert fifth.status_code == 429
    # Locked: even the right password is refused, with a notice in Vietnamese.
    locked = _attempt(client, login_url, "stc.cv", "pw")
    assert locked.status_code == 429
    assert LOCKED_VI in locked.content.decode()
    assert "15 phút" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_is_per_username_and_address(client, login_url):
    UserFactory(username="stc.cv", officer=True)
    UserFactory(username="stc.ld", head=True)
    for _ in range(5):
        _attempt(client, login_url, "stc.cv", "sai")
    assert _attempt(client, login_url, "stc.cv", "pw").status_code == 429
    # The same officer from another address, and a colleague from the same address, sign in.
    assert _attempt(Client(), login_url, "stc.cv", "pw", ip="192.0.2.99").status_code == 302
    assert _attempt(Client(), login_url, "stc.ld", "pw").status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_fifteen_minutes(client, login_url):
    UserFactory(username="stc.cv", officer=True)
    start = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _attempt(client, login_url, "stc.cv", "sai")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert _attempt(client, login_url, "stc.cv", "pw").status_code == 429
    # Each refused attempt restarts the cool-off: 15 minutes after the last one, it is over.
    with time_machine.travel(start + dt.timedelta(minutes=29, seconds=1), tick=False):
        assert _attempt(client, login_url, "stc.cv", "pw").status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_failures(client, login_url):
    UserFactory(username="stc.cv", officer=True)
    for _ in range(4):
        _attempt(client, login_url, "stc.cv", "sai")
    assert _attempt(client, login_url, "stc.cv", "pw").status_code == 302
    other = Client()
    for _ in range(4):
        assert _attempt(other, login_url, "stc.cv", "sai").status_code == 200


@pytest.mark.django_db
def test_the_lockout_notice_is_in_english_for_english_readers(client, login_url):
    UserFactory(username="stc.cv", officer=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        _attempt(client, login_url, "stc.cv", "sai")
    response = _attempt(client, login_url, "stc.cv", "pw")
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.content.decode()
    assert "15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_too(client):
    UserFactory(username="admin", admin=True)
    url = reverse("admin:login")
    for _ in range(5):
        _attempt(client, url, "admin", "sai")
    assert _attempt(client, url, "admin", "pw").status_code == 429


@pytest.mark.django_db
def test_test_helpers_still_sign_in(client):
    """force_login (no backend call) and Client.login (no request) keep working in tests."""
    user = UserFactory(username="stc.cv", officer=True)
    assert client.login(username="stc.cv", password="pw")
    client.logout()
    client.force_login(user)
    assert client.get(reverse("notifications:inbox")).status_code == 200


# --- Content-Security-Policy ---------------------------------------------------------------------

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(response) -> dict[str, str]:
    policy = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            policy[name] = value.strip()
    return policy


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, handlers, styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script":
            if "src" not in names:
                self._in_script = True
            if names.get("type") not in (None, "", "text/javascript", "module"):
                self._in_script = False  # data blocks (e.g. application/json) are not run
        if tag == "style":
            self.found.append("<style> element")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")


# Templates that are never served to a browser, so the site's policy does not apply to them.
NOT_PAGES = {
    # The consolidated annual report: WeasyPrint renders it to PDF (reports/annual/pdf.py), and
    # an official document's layout is written as styles inside the document.
    "annual/document.html",
    # The national consolidated report (annual/national.py): the same, one row per province.
    "annual/national.html",
}


def _template_files() -> list[Path]:
    roots = [BASE_DIR / "templates"] + [
        path for path in BASE_DIR.glob("*/templates") if not path.is_relative_to(BASE_DIR / ".venv")
    ]
    files = []
    for root in roots:
        for path in root.rglob("*.html"):
            # E-mail bodies are read in mail clients, where the site's policy does not apply
            # (and inline styles are the only styles mail clients honour).
            if "email" in path.relative_to(root).parts:
                continue
            if path.relative_to(root).as_posix() in NOT_PAGES:
                continue
            files.append(path)
    return sorted(files)


def test_the_templates_are_found():
    names = {path.name for path in _template_files()}
    assert {"base.html", "login.html", "submission.html", "locked_out.html"} <= names


@pytest.mark.parametrize(
    "path", _template_files(), ids=lambda path: str(path.relative_to(BASE_DIR))
)
def test_no_template_has_inline_script_or_style(path):
    source = path.read_text(encoding="utf-8")
    # Template tags inside attributes would confuse the HTML parser; their content does not
    # matter here, only the markup around them.
    parser = InlineCode()
    parser.feed(re.sub(r"{%.*?%}|{{.*?}}", "x", source, flags=re.S))
    assert parser.found == []


@pytest.mark.django_db
def test_every_response_carries_the_policy(client, admin_user):
    for url in [reverse("login"), reverse("admin:login")]:
        policy = _policy(client.get(url))
        assert {name: policy.get(name) for name in EXPECTED_CSP} == EXPECTED_CSP
    client.force_login(admin_user)
    for url in [reverse("home"), reverse("admin:index"), reverse("notifications:inbox")]:
        response = client.get(url)
        assert response.status_code == 200
        policy = _policy(response)
        assert {name: policy.get(name) for name in EXPECTED_CSP} == EXPECTED_CSP
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert client.get("/no-such-page/").headers["Content-Security-Policy"]


@pytest.mark.usefixtures("before_due", "media_root")
def test_rendered_pages_have_no_inline_code(client, submission, officer, reviewer, leader):
    """Whatever crispy forms and the widgets print, pages stay within the policy."""
    services_fill = submission_post_data(submission, overall_assessment="Bản nháp")
    client.force_login(officer)
    assert client.post(reverse("reports:submission", args=[submission.pk]), services_fill)
    pages = {
        officer: [
            "home",
            ("reports:submission", submission.pk),
            ("reports:history", submission.pk),
        ],
        reviewer: [
            "reports:rounds",
            "reports:round_open",
            ("reports:round", submission.round_id),
            ("reports:review", submission.pk),
        ],
        leader: ["dashboard:index", "plans:list", ("plans:detail", submission.round.plan_id)],
    }
    for user, names in pages.items():
        client.force_login(user)
        for item in names:
            name, *args = item if isinstance(item, tuple) else (item,)
            response = client.get(reverse(name, args=args))
            assert response.status_code == 200, name
            parser = InlineCode()
            parser.feed(response.content.decode())
            assert parser.found == [], name


# --- uploaded files: generated names only ---------------------------------------------------------

HOSTILE_NAMES = [
    "../../x.pdf",
    "..\\..\\windows.pdf",
    "/etc/passwd.pdf",
    "con.pdf",
    "nul",
    "a\x00b.pdf",
    "dòng\nmới.pdf",
    "Báo cáo kết quả thực hiện năm 2026 – Sở Tài chính.pdf",
    "ảnh hiện trường.png",
    "." * 300 + ".pdf",
    "x" * 400 + ".pdf",
    "report.pdf.exe",
    "&#10;header.pdf",
]
GENERATED = re.compile(
    r"^(evidence/\d+/[0-9a-f]{32}\.(pdf|docx|xlsx|jpg|png)|documents/\d{4}/[0-9a-f]{32}\.pdf)$"
)


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart body built by hand: the test client's own encoder would clean the file names
    (os.path.basename) before they ever reach the server, which is what is under test here."""
    boundary = "----portal-boundary-" + secrets.token_hex(8)
    lines: list[bytes] = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    for field, filename, content in files:
        quoted = filename.replace('"', "%22")
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{field}"; filename="{quoted}"'.encode(),
            b"Content-Type: application/octet-stream",
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


@pytest.mark.usefixtures("before_due")
def test_uploaded_files_are_stored_under_generated_names_only(
    client, submission, officer, media_root, tmp_path
):
    client.force_login(officer)
    report = submission.task_reports.first()
    url = reverse("reports:submission", args=[submission.pk])
    for n, name in enumerate(HOSTILE_NAMES):
        files = [(f"task-{report.pk}-evidence", name, PNG if name.endswith(".png") else PDF)]
        if n % 3 == 0:
            files.append(("document_file", name, PDF))
        body, content_type = _multipart(submission_post_data(submission), files)
        response = client.post(url, body, content_type=content_type)
        assert response.status_code == 302, (name, response.status_code)

    stored = sorted(
        path.relative_to(media_root).as_posix() for path in media_root.rglob("*") if path.is_file()
    )
    assert len(stored) == len(HOSTILE_NAMES) + len(HOSTILE_NAMES[::3])
    assert [name for name in stored if not GENERATED.match(name)] == []
    # Nothing escaped the media folder either.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media"]
    assert Evidence.objects.filter(submission=submission).count() == len(HOSTILE_NAMES)
    submission.refresh_from_db()
    assert GENERATED.match(submission.document_file.name)

    # The user's own name comes back only in the download header, safely encoded.
    for evidence in Evidence.objects.filter(submission=submission):
        assert "/" not in evidence.original_name and "\\" not in evidence.original_name
        assert "\x00" not in evidence.original_name and "\n" not in evidence.original_name
        response = client.get(reverse("reports:evidence", args=[evidence.pk]))
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "\n" not in disposition and "\r" not in disposition
        b"".join(response.streaming_content)


@pytest.mark.usefixtures("before_due")
def test_a_file_of_another_kind_is_refused_whatever_its_name(
    client, submission, officer, media_root
):
    client.force_login(officer)
    report = submission.task_reports.first()
    data = submission_post_data(submission)
    data[f"task-{report.pk}-evidence"] = SimpleUploadedFile("bao-cao.pdf", b"#!/bin/sh\nrm -rf /\n")
    response = client.post(reverse("reports:submission", args=[submission.pk]), data)
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    assert Submission.objects.get(pk=submission.pk).version == 0
    assert not any(path.is_file() for path in media_root.rglob("*"))
