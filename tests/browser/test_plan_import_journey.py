"""Items 4 and 5 of "Any plan, from the document the province already has", in a browser: the
focal point uploads a Word plan, corrects two items on the review screen, confirms the agencies
the registry lacks, publishes, and opens a reporting round on the new plan."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from plans.models import Plan
from reports.models import Round
from tests.browser.conftest import login
from tests.plan_documents_samples import build_table_docx


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture
def docx(tmp_path):
    return build_table_docx(tmp_path / "ke-hoach-215.docx")


def test_upload_review_publish_then_open_a_round(
    page: Page, live_server, seed_plan, reviewer, docx
):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "sct", "pw")
    page.goto(live_server.url + reverse("plans:import_new"))
    page.set_input_files("#id_document", str(docx))
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(
        vi("The document was read. Check the proposal below.")
    )
    expect(page.locator("#open-count")).to_contain_text("mục cần kiểm tra")
    # The task with three leads shows them all, and the flag, beside its source line.
    several = page.locator("[data-task='PL.II.1']")
    expect(several).to_contain_text("Trung tâm Khuyến công; Báo Đắk Lắk; Tạp chí Công Thương")
    expect(several.locator(".source-link")).to_have_text("table 2 row 6")

    # Correction 1: the header's title.
    page.locator("#edit-header").click()
    page.locator("#id_title").fill("Kế hoạch phát triển công nghiệp hỗ trợ tỉnh Đắk Lắk")
    page.locator("#header-form button[type=submit]").click()
    expect(page.locator("#fact-title")).to_have_text(
        "Kế hoạch phát triển công nghiệp hỗ trợ tỉnh Đắk Lắk"
    )

    # Correction 2: a task's output and timeframe wording.
    task = page.locator("[data-task='PL.II.4']")
    task.locator(".edit-task").click()
    form = page.locator("[data-task='PL.II.4'] .task-form")
    form.locator("#id_output").fill("Quyết định giao dự toán")
    form.locator("#id_timeframe").fill("Năm 2027")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-task='PL.II.4'] .task-timeframe")).to_have_text("Năm 2027")

    # The agencies the registry lacks are confirmed as new ones (their names as read).
    while page.locator("#agencies [data-agency]").count():
        page.locator("#agencies [data-agency] a").first.click()
        page.locator("#agencies form button[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()

    page.locator("#publish").click()
    expect(page.locator(".alert-success")).to_contain_text(vi("The plan was published."))
    plan = Plan.objects.get(number="215/KH-UBND")
    assert plan.title == "Kế hoạch phát triển công nghiệp hỗ trợ tỉnh Đắk Lắk"
    assert plan.tasks.get(code="PL.II.4").timeframe_end.year == 2027
    expect(page.locator("h1")).to_have_text(plan.title)

    # A round on the new plan.
    page.goto(live_server.url + reverse("reports:round_open"))
    page.select_option("#id_plan", str(plan.pk))
    page.locator("#id_year").fill("2026")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Round.objects.filter(plan=plan, year=2026).exists()
