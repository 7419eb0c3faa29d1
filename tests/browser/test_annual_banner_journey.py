"""The focal point asks for a file; the 'being generated' banner stays while the worker builds it
and goes once the page's poll of the status endpoint sees the file finished."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annual.build import snapshot_build
from annual.models import ReportSnapshot
from config.celery_app import app
from tests.browser.conftest import login
from tests.conftest import annual_world


@pytest.fixture
def queued_on_redis():
    """The task goes to the real broker (Redis) with no worker: the file stays pending until the
    test builds it, as a worker would."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_the_generating_banner_goes_when_the_file_is_ready(
    page: Page, live_server, seed_plan, reviewer, queued_on_redis, media_root
):
    round_ = annual_world(seed_plan, reviewer)
    login(page, live_server, "sct", "pw")
    page.goto(f"{live_server.url}/reports/annual/rounds/{round_.pk}/")
    page.locator('button[name="format"][value="xlsx"]').click()
    banner = page.locator(".js-generating-banner")
    expect(banner).to_have_count(1)
    snapshot = ReportSnapshot.objects.get(report__round=round_)
    assert snapshot.state != "done"
    expect(page.locator(f"#snapshot-{snapshot.pk}[data-snapshot-status]")).to_have_count(1)

    snapshot_build(snapshot.pk)  # the worker's job

    expect(banner).to_have_count(0, timeout=15000)
    expect(page.locator(f"#snapshot-{snapshot.pk} .js-snapshot-download")).to_be_visible()
