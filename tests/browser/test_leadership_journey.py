"""Issue 8's journey (c): leadership opens the dashboard and downloads the annual PDF, and the
test opens that file and checks it."""

from __future__ import annotations

import io

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from annual.build import snapshot_build
from annual.models import ReportSnapshot
from annual.services import report_generate, report_get_or_create
from tests.browser.conftest import login
from tests.conftest import annual_world


def test_lanhdao_opens_the_dashboard_and_downloads_the_annual_pdf(
    page: Page, live_server, seed_plan, reviewer, leader
):
    round_ = annual_world(seed_plan, reviewer)
    snapshot = report_generate(report=report_get_or_create(round_=round_), fmt="pdf", user=reviewer)
    snapshot_build(snapshot.pk)  # what the Celery task does once the request has committed
    assert ReportSnapshot.objects.get(pk=snapshot.pk).state == "done"

    login(page, live_server, "lanhdao", "pw")
    page.goto(f"{live_server.url}/reports/dashboard/?plan={seed_plan.pk}&year=2026")
    expect(page.locator("h1")).to_contain_text("2026")
    page.goto(f"{live_server.url}/reports/annual/rounds/{round_.pk}/")
    with page.expect_download() as download_info:
        page.locator(".js-snapshot-download").first.click()
    data = open(download_info.value.path(), "rb").read()

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Kính gửi", "Nơi nhận"):
        assert expected in text
    assert "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)" in " ".join(text.split())
    assert data == ReportSnapshot.objects.get(pk=snapshot.pk).file.open("rb").read()
