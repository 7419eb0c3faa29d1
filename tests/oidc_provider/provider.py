"""Starts the test identity provider (django-oidc-provider) as a subprocess on 127.0.0.1.

The portal's tests run on `localhost` (pytest-django's live server) and the provider on
`127.0.0.1`: two hosts, so the browser keeps their cookies apart.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.oidc_provider.settings"
PASSWORD = "op-password"
START_TIMEOUT = 60  # seconds for migrations + the first answer on a loaded 2-core machine
SETUP_TIMEOUT = 120

# The provider's accounts (username → e-mail, and whether the provider has verified it).
ACCOUNTS = {
    "op.officer": "Nguyen.Van.A@STC.PhuYen.gov.vn",  # a portal user's, in other letter case
    "op.stranger": "khach@example.gov.vn",  # no portal user has it
    "op.retired": "nghi.huu@stc.phuyen.gov.vn",  # an inactive portal user's
    "op.twin": "chung@stc.phuyen.gov.vn",  # two portal users share it
    "op.unverified": "nguyen.van.a@stc.phuyen.gov.vn",  # a portal user's, never verified
}


@dataclass(frozen=True)
class Provider:
    url: str  # the origin, http://127.0.0.1:PORT
    client_id: str
    client_secret: str
    log: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def environ(self, **extra: str) -> dict[str, str]:
        """The portal's SSO variables for this provider (docs/sso.md)."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_DISCOVERY_URL": self.issuer,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_TIMEOUT": "10",
            **extra,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the provider exited ({process.returncode}):\n{log.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the provider did not answer {url} in {START_TIMEOUT}s:\n{log.read_text()}")


@contextmanager
def running_provider(workdir: Path, portal_url: str) -> Iterator[Provider]:
    """A provider with the portal registered as client `portal` (redirect URI
    PORTAL/oidc/callback/) and the ACCOUNTS above, all with password PASSWORD."""
    port = _free_port()
    provider = Provider(
        url=f"http://127.0.0.1:{port}",
        client_id="portal",
        client_secret=secrets.token_urlsafe(24),
        log=workdir / "provider.log",
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OIDC_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "OP_DIR": str(workdir),
        "OP_SITE_URL": provider.url,
        "PYTHONUNBUFFERED": "1",
    }
    config = workdir / "setup.json"
    config.write_text(
        json.dumps(
            {
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
                "redirect_uris": [f"{portal_url}/oidc/callback/"],
                "post_logout_redirect_uris": [f"{portal_url}/accounts/login/"],
                "accounts": [
                    {
                        "username": username,
                        "email": email,
                        "password": PASSWORD,
                        "last_name": "unverified" if username == "op.unverified" else "",
                    }
                    for username, email in ACCOUNTS.items()
                ],
            }
        ),
        encoding="utf-8",
    )
    setup = subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.setup", str(config)],
        cwd=ROOT,
        env=env,
        timeout=SETUP_TIMEOUT,
        capture_output=True,
        text=True,
    )
    if setup.returncode != 0:
        raise RuntimeError(f"the provider's setup failed:\n{setup.stdout}{setup.stderr}")
    with provider.log.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_until_up(process, f"{provider.issuer}/.well-known/openid-configuration", provider.log)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
