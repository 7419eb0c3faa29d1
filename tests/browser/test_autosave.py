"""The report form keeps what is typed: autosave with the version lock, a warning on leaving."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from plans.models import Agency
from reports import services
from reports.models import Submission
from reports.services import round_open
from tests.browser.conftest import login

PASSWORD = "pw"


@pytest.fixture
def sct_submission(seed_plan, reviewer) -> Submission:
    sct = Agency.objects.get(abbreviation="SCT")
    User.objects.create_user(
        username="sct.cv", password=PASSWORD, role=User.Role.OFFICER, agency=sct
    )
    User.objects.create_user(
        username="sct.cv2", password=PASSWORD, role=User.Role.OFFICER, agency=sct
    )
    return round_open(plan=seed_plan, opened_by=reviewer, year=2026).submissions.get(agency=sct)


def test_autosave_keeps_text_and_a_conflict_overwrites_nothing(
    page: Page, live_server, settings, sct_submission
):
    settings.REPORTS_AUTOSAVE_SECONDS = 1
    submission = sct_submission
    url = f"{live_server.url}/reports/submissions/{submission.pk}/"
    login(page, live_server, "sct.cv", PASSWORD)
    page.goto(url)
    bar = page.locator(".sticky-actions")
    assert bar.evaluate("e => getComputedStyle(e).position") == "sticky"

    overall = page.locator('#submission-form [name="overall_assessment"]')
    overall.press_sequentially("Tự lưu lần một")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Đã tự động lưu dự thảo", timeout=15_000)
    submission.refresh_from_db()
    assert submission.overall_assessment == "Tự lưu lần một"
    page.reload()
    expect(overall).to_have_value("Tự lưu lần một")

    # Someone else saves in between; the next autosave is refused and stops, nothing lost.
    other = User.objects.get(username="sct.cv2")
    submission.refresh_from_db()
    services.submission_save(
        submission=submission,
        user=other,
        version=submission.version,
        fields={"proposals": "Đề xuất của người khác"},
        task_rows={},
        target_rows={},
    )
    overall.focus()
    page.keyboard.press("Control+End")
    overall.press_sequentially(" và sửa thêm")
    expect(status).to_contain_text("sct.cv2", timeout=15_000)
    expect(status).to_have_class("small align-self-center text-danger")
    submission.refresh_from_db()
    assert submission.overall_assessment == "Tự lưu lần một"
    assert submission.proposals == "Đề xuất của người khác"
    expect(overall).to_have_value("Tự lưu lần một và sửa thêm")

    # Leaving with the unsaved text raises the browser's "leave page?" dialog.
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
