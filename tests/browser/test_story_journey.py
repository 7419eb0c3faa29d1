"""Issue #13's "Done when", as one journey in a real browser: the administrator records the
province merger (with its preview) and invites an officer, who sets a password and signs in; the
focal point closes and reopens the 2026 round and sends "remind now" (the new officer gets it);
and the 2026 consolidated report of the seed plan, generated from the report page, is headed by
Đắk Lắk and still names the plan as Phú Yên's."""

from __future__ import annotations

import io

from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from annual.models import ReportSnapshot
from reports import services
from tests.browser.conftest import (
    accept_invitation,
    close_reopen_and_remind,
    invite_user,
    login,
    logout,
    preview_merger,
    save_merger,
)

EMAIL = "binh@stc.gov.vn"
PASSWORD = "Mật-khẩu-mới-2026"
BUILD_MS = 120_000  # WeasyPrint, in the live server's thread (Celery runs eagerly in tests)


def test_merger_invitation_round_and_the_dak_lak_report(
    page: Page, live_server, before_merger, seed_plan, agency, reviewer, settings
):
    settings.SITE_URL = live_server.url
    phu_yen, dak_lak = before_merger
    mail.outbox.clear()

    # The administrator records the merger, then invites an officer of Sở Tài chính.
    login(page, live_server, "quantri", "pw")
    preview_merger(page, live_server, phu_yen, dak_lak)
    save_merger(page, phu_yen, dak_lak)
    invite_user(page, live_server, agency=agency, email=EMAIL, first="Bình", last="Nguyễn Văn")
    logout(page, live_server)
    accept_invitation(page, live_server, email=EMAIL, password=PASSWORD)
    logout(page, live_server)

    # The focal point's 2026 round, on the map just recorded: close, reopen, remind now.
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    login(page, live_server, "sct", "pw")
    close_reopen_and_remind(page, live_server, round_, reason="Bổ sung số liệu sau sáp nhập.")
    reminded = [m for m in mail.outbox if EMAIL in m.to and "/people/invitation/" not in m.body]
    assert len(reminded) == 1  # the officer invited a moment ago hears of the round

    # The consolidated report, generated from its page and downloaded.
    page.goto(f"{live_server.url}/reports/annual/rounds/{round_.pk}/")
    page.locator('button[name="format"][value="pdf"]').click()
    download = page.locator(".js-snapshot-download").first
    expect(download).to_be_visible(timeout=BUILD_MS)
    with page.expect_download() as download_info:
        download.click()
    data = open(download_info.value.path(), "rb").read()
    assert data == ReportSnapshot.objects.get(report__round=round_).file.open("rb").read()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "UBND TỈNH ĐẮK LẮK SỞ CÔNG THƯƠNG" in text
    assert "Đắk Lắk, ngày" in text and "Phú Yên, ngày" not in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk" in text
    assert "của Ủy ban nhân dân tỉnh Phú Yên" in text  # the plan stays Phú Yên's
