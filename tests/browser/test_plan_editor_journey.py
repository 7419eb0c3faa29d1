"""Issue #12 item 5 in a browser: the focal point opens the plan editor, adds a task (a duplicate
code first: the form keeps what was typed), deletes an empty section after its confirmation
page, and publishes both onto the plan."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from plans.models import Section
from tasks.models import Task
from tests.browser.conftest import login


def test_add_a_task_and_delete_a_section(page: Page, live_server, seed_plan, reviewer):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "sct", "pw")
    page.goto(live_server.url + reverse("plans:detail", args=[seed_plan.pk]))
    page.locator("#edit-plan").click()

    page.locator("#add-task").click()
    page.locator("#id_code").fill("IV.3.1")
    page.select_option("#id_section", "IV.3")
    page.locator("#id_content").fill("Bố trí vốn cho các dự án công nghiệp hỗ trợ.")
    page.select_option("#id_lead", "STC")
    page.select_option("#id_coordinators", ["SCT"])
    page.locator("#id_timeframe").fill("Quý IV/2026")
    page.locator("#add-form button[type=submit]").click()
    expect(page.locator("#add-form")).to_contain_text("Đã có nhiệm vụ khác mang mã IV.3.1.")
    expect(page.locator("#id_content")).to_have_value(
        "Bố trí vốn cho các dự án công nghiệp hỗ trợ."
    )
    page.locator("#id_code").fill("IV.3.2")
    page.locator("#add-form button[type=submit]").click()
    task = page.locator("[data-task='IV.3.2']")
    expect(task.locator(".task-timeframe")).to_have_text("Quý IV/2026")

    # A section with tasks says why it cannot go; an empty one goes after the confirmation.
    page.locator("[id='section-IV.3'] .delete-section").click()
    expect(page.locator("#removal-blocked")).to_contain_text("IV.3.1, IV.3.2")
    page.go_back()
    page.locator("[id='section-I.2'] .delete-section").click()
    expect(page.locator("#removal-effect")).to_be_visible()
    page.locator("#confirm-removal").click()
    expect(page.locator("[id='section-I.2']")).to_have_count(0)

    page.locator("#publish").click()
    expect(page.locator("h1")).to_have_text(seed_plan.title)
    assert Task.objects.get(plan=seed_plan, code="IV.3.2").lead.abbreviation == "STC"
    assert not Section.objects.filter(plan=seed_plan, code="I.2").exists()
