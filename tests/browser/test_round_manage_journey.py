"""The focal point manages a round in a real browser: closes it, reopens it with a reason, and
sends "remind now" to the agencies that have not submitted (the e-mail is in the outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page

from reports import services
from reports.models import Round
from tests.browser.conftest import close_reopen_and_remind, login

REASON = "Sở Tài chính xin bổ sung số liệu sau khi đóng kỳ."


@pytest.fixture
def round_(live_server, seed_plan, reviewer, officer) -> Round:
    officer.email = "stc.cv@example.gov.vn"
    officer.save()
    return services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)


def test_close_reopen_with_a_reason_and_remind_now(page: Page, live_server, round_):
    login(page, live_server, "sct", "pw")
    close_reopen_and_remind(page, live_server, round_, reason=REASON)
    stc_mail = [m for m in mail.outbox if "stc.cv@example.gov.vn" in m.to]
    assert len(stc_mail) == 1
    stc = round_.submissions.get(agency__abbreviation="STC")
    assert f"/reports/submissions/{stc.pk}/" in stc_mail[0].body

    # The page works on a phone: nothing wider than 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
