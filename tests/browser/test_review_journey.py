"""Issue 4's journey in a real browser: submit, return with a comment, correct, resubmit, the
reviewer sees what changed and accepts, and the report is then read-only."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from reports import services
from reports.models import Submission
from tests.browser.conftest import login, logout

COMMENT = "Đề nghị bổ sung số liệu cụ thể cho nhiệm vụ xúc tiến đầu tư."
NEW_RESULTS = "Đã tổ chức 03 hội nghị xúc tiến đầu tư, thu hút 12 dự án mới."


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture
def submission(live_server, seed_plan, reviewer, agency, officer, head) -> Submission:
    """STC's 2026 report, complete as a draft (written through the form's own service)."""
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    submission = round_.submissions.get(agency=agency)
    rows = {
        r.pk: {"state": "in_progress", "progress": 40, "results": f"Kết quả {r.task.code}"}
        for r in submission.task_reports.select_related("task")
    }
    return services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Cơ bản hoàn thành kế hoạch năm."},
        task_rows=rows,
        target_rows={},
    )


def _open_report(page: Page, live_server, submission: Submission) -> None:
    page.goto(f"{live_server.url}/reports/submissions/{submission.pk}/")


def test_return_correct_resubmit_diff_accept(page: Page, live_server, submission, officer):
    page.on("dialog", lambda dialog: dialog.accept())
    first_task = submission.task_reports.order_by("position").first()

    # The head submits.
    login(page, live_server, "stc.ld", "pw")
    _open_report(page, live_server, submission)
    page.click("button[name=action][value=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("The report was submitted to the focal point.")
    )
    logout(page, live_server)

    # The focal point returns it with a comment.
    login(page, live_server, "sct", "pw")
    page.goto(f"{live_server.url}/reports/rounds/{submission.round_id}/")
    page.click(f"a[href='/reports/submissions/{submission.pk}/review/']")
    page.fill("#return-form textarea[name=comment]", COMMENT)
    page.click("#return-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("Report returned to the agency with your comments.")
    )
    logout(page, live_server)

    # The officer sees the comment beside the form, corrects a task and saves.
    login(page, live_server, "stc.cv", "pw")
    _open_report(page, live_server, submission)
    expect(page.locator(".alert-warning").first).to_contain_text(COMMENT)
    page.fill(f"textarea[name='task-{first_task.pk}-results']", NEW_RESULTS)
    page.click("button[name=action][value=save]")
    expect(page.locator(".alert-success")).to_contain_text(vi("Draft saved."))
    logout(page, live_server)

    # The head resubmits.
    login(page, live_server, "stc.ld", "pw")
    _open_report(page, live_server, submission)
    page.click("button[name=action][value=submit]")
    assert Submission.objects.get(pk=submission.pk).state == "resubmitted"
    logout(page, live_server)

    # The focal point sees exactly what changed, then accepts.
    login(page, live_server, "sct", "pw")
    page.goto(f"{live_server.url}/reports/submissions/{submission.pk}/review/")
    changes = page.locator("#changes")
    expect(changes.locator("ins")).to_contain_text("03 hội nghị")
    expect(changes.locator("del")).to_contain_text(f"Kết quả {first_task.task.code}")
    page.click("form[action$='/accept/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(vi("Report accepted; it is now locked."))
    logout(page, live_server)

    # The agency's form is now read-only.
    login(page, live_server, "stc.cv", "pw")
    _open_report(page, live_server, submission)
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator("button[name=action]")).to_have_count(0)
    final = Submission.objects.get(pk=submission.pk)
    assert final.state == "accepted"
    assert final.task_reports.get(pk=first_task.pk).results == NEW_RESULTS
