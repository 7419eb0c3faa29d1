"""Issue 8's journey (c): leadership opens the dashboard and downloads the annual PDF, and the
test opens that file and checks it. Issue 15's: leadership signs in to the dashboard on the
plan and year with data, is told who makes the consolidated report, and downloads it once built."""

from __future__ import annotations

import io

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from annual.build import snapshot_build
from annual.models import ReportSnapshot
from annual.services import report_generate, report_get_or_create
from plans.models import Plan
from tests.browser.conftest import login, vi
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


def test_leadership_lands_on_the_plan_with_data_and_downloads_the_built_report(
    page: Page, live_server, seed_plan, reviewer, leader, media_root
):
    round_ = annual_world(seed_plan, reviewer)
    # A newer plan, just imported: no round, nothing to show; the dashboard must not open on it.
    newer = Plan.objects.create(
        code="kh-moi",
        title="Kế hoạch mới",
        issuer="UBND tỉnh",
        issuing_agency=seed_plan.issuing_agency,
        focal_agency=seed_plan.focal_agency,
        start_year=seed_plan.start_year + 5,
        horizon_year=seed_plan.horizon_year + 5,
    )
    assert Plan.objects.first() == newer

    # Signing in lands on the dashboard, on the plan and year that have data.
    login(page, live_server, "lanhdao", "pw")
    expect(page).to_have_url(f"{live_server.url}/reports/dashboard/")
    expect(page.locator("h1")).to_contain_text(f"{vi('Dashboard')} 2026")
    expect(page.locator("#f-plan")).to_have_value(str(seed_plan.pk))
    expect(page.locator("#f-year")).to_have_value("2026")
    expect(page.locator("#h-round + p a")).to_have_text(round_.title)

    # The consolidated report page, through the menu: no file yet, and who makes it.
    page.locator('a.nav-link[href="/reports/annual/"]').click()
    page.locator(f'a[href="/reports/annual/rounds/{round_.pk}/"]').click()
    expect(page).to_have_url(f"{live_server.url}/reports/annual/rounds/{round_.pk}/")
    empty = page.locator("#no-snapshots")
    expect(empty).to_contain_text(vi("No file has been generated yet."))
    expect(empty).to_contain_text(seed_plan.focal_agency.name)
    expect(page.locator('button[name="format"]')).to_have_count(0)  # leadership makes none

    # The focal point's file is built (what the Celery task does); leadership downloads it.
    snapshot = report_generate(report=report_get_or_create(round_=round_), fmt="pdf", user=reviewer)
    snapshot_build(snapshot.pk)
    snapshot = ReportSnapshot.objects.get(pk=snapshot.pk)
    assert snapshot.state == "done"
    page.reload()
    expect(page.locator("#no-snapshots")).to_have_count(0)
    with page.expect_download() as download_info:
        page.locator(f"#snapshot-{snapshot.pk} .js-snapshot-download").click()
    download = download_info.value
    assert download.suggested_filename == snapshot.download_name
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF")
    assert data == snapshot.file.open("rb").read()
