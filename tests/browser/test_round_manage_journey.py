"""The focal point manages a round in a real browser: closes it, reopens it with a reason, and
sends "remind now" to the agencies that have not submitted (the e-mail is in the outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from reminders.models import SentReminder
from reports import services
from reports.models import Round
from tests.browser.conftest import login

REASON = "Sở Tài chính xin bổ sung số liệu sau khi đóng kỳ."


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture
def round_(live_server, seed_plan, reviewer, officer) -> Round:
    officer.email = "stc.cv@example.gov.vn"
    officer.save()
    return services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)


def test_close_reopen_with_a_reason_and_remind_now(page: Page, live_server, round_):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "sct", "pw")
    page.goto(f"{live_server.url}/reports/rounds/{round_.pk}/")
    page.click("#manage-round")
    expect(page.locator("#round-state")).to_contain_text(vi("Open"))

    # Close (the page asks to confirm), then the round says so and the agencies' forms lock.
    page.fill("#close-form textarea[name=reason]", "Hết hạn nhận báo cáo")
    page.click("#close-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("Round closed: agencies can no longer change their reports.")
    )
    expect(page.locator("#round-state")).to_contain_text(vi("Closed"))
    assert not Round.objects.get(pk=round_.pk).is_open

    # Reopening without a reason is refused; with one, it is recorded in the history.
    page.click("#reopen-form button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text(
        vi("Give the reason for reopening the round.")
    )
    assert not Round.objects.get(pk=round_.pk).is_open
    page.fill("#reopen-form textarea[name=reason]", REASON)
    page.click("#reopen-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("Round reopened: agencies can save their reports again.")
    )
    expect(page.locator("#round-history")).to_contain_text(REASON)
    assert Round.objects.get(pk=round_.pk).is_open

    # Remind now: every agency that has not submitted gets it once.
    pending = round_.submissions.count()
    page.click("#remind-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    assert SentReminder.objects.filter(step__startswith="now-", status="sent").exists()
    assert SentReminder.objects.filter(step__startswith="now-").count() == pending
    stc_mail = [m for m in mail.outbox if "stc.cv@example.gov.vn" in m.to]
    assert len(stc_mail) == 1
    stc = round_.submissions.get(agency__abbreviation="STC")
    assert f"/reports/submissions/{stc.pk}/" in stc_mail[0].body

    # The page works on a phone: nothing wider than 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
