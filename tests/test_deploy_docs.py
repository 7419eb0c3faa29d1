"""docs/deploy.md and .env.example name every variable the production settings read, and
.env.example is a shell file a deployer can source."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SETTINGS = [BASE_DIR / "config/settings/base.py", BASE_DIR / "config/settings/production.py"]


def variables_read() -> set[str]:
    names: set[str] = set()
    for path in SETTINGS:
        source = path.read_text()
        names |= set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
        names |= set(re.findall(r'\bget\("([A-Z][A-Z0-9_]+)"\)', source))  # oidc_settings()
        names |= set(re.findall(r'os\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(settings.OIDC_ENDPOINT_VARIABLES)
    return names


def test_the_scan_finds_the_variables_it_should():
    found = variables_read()
    assert {"SECRET_KEY", "SITE_URL", "BEHIND_PROXY", "MEDIA_ROOT", "CELERY_BROKER_URL"} <= found
    assert {"SIGNING_KEY", "EMAIL_URL", "OIDC_RP_CLIENT_ID", "OIDC_OP_JWKS_ENDPOINT"} <= found
    assert {"SESSION_IDLE_HOURS", "SECURE_HSTS_PRELOAD"} <= found


def test_every_variable_is_in_the_deploy_guide():
    guide = (BASE_DIR / "docs/deploy.md").read_text()
    missing = sorted(name for name in variables_read() if f"`{name}`" not in guide)
    assert not missing, f"docs/deploy.md does not name {missing}"


def test_every_variable_is_in_the_env_example():
    example = (BASE_DIR / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    missing = sorted(variables_read() - named)
    assert not missing, f".env.example does not name {missing}"


PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'site': settings.SITE_URL, 'sender': settings.DEFAULT_FROM_EMAIL, "
    "'hosts': settings.ALLOWED_HOSTS, 'idle': settings.SESSION_COOKIE_AGE, "
    "'debug': settings.DEBUG}))"
)


def test_the_env_example_can_be_sourced_and_starts_the_production_settings(tmp_path):
    script = f'set -eu; set -a; . ./.env.example; set +a; exec "{sys.executable}" -c "$PROBE"'
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "PROBE": PROBE, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "site": "https://kehoach.example.gov.vn",
        "sender": "Cổng theo dõi kế hoạch <noreply@example.gov.vn>",
        "hosts": ["kehoach.example.gov.vn"],
        "idle": 8 * 60 * 60,
        "debug": False,
    }
