"""The issue's acceptance journey, in a real browser.

An officer signs in, fills a task with "37,4", saves a draft, reloads and finds it kept, and the
head submits. Sở Công Thương (SCT) is the agency: its 2026 report has task rows and the targets
CT1, CT1.1, CT3 and CT3.1, so "37,4" goes where a decimal is expected (CT1's actual value).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from accounts.models import User
from plans.models import Agency
from reports.models import Submission, TargetReport, TaskReport
from reports.services import round_open
from tests.browser.conftest import login, logout

PASSWORD = "pw"
RESULTS = "Đã hoàn thành 37,4% kế hoạch"
OVERALL = "Cơ bản hoàn thành các nhiệm vụ năm 2026; một số chỉ tiêu còn chậm."


def vi(message: str) -> str:
    """The message as the portal shows it (Vietnamese is served whatever the browser says)."""
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture
def sct(seed_plan) -> Agency:
    return Agency.objects.get(abbreviation="SCT")


@pytest.fixture
def sct_officer(sct) -> User:
    return User.objects.create_user(
        username="sct.cv", password=PASSWORD, role=User.Role.OFFICER, agency=sct
    )


@pytest.fixture
def sct_head(sct) -> User:
    return User.objects.create_user(
        username="sct.ld", password=PASSWORD, role=User.Role.HEAD, agency=sct
    )


@pytest.fixture
def submission(live_server, seed_plan, reviewer, sct, sct_officer, sct_head) -> Submission:
    """SCT's submission in the 2026 annual round, opened by the focal point (`sct` reviewer)."""
    round_ = round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    submission = round_.submissions.get(agency=sct)
    assert submission.task_reports.exists()
    assert submission.target_reports.filter(target__code="CT1").exists()
    return submission


def task_reports(submission: Submission) -> list[TaskReport]:
    return list(submission.task_reports.select_related("task").order_by("position"))


def target_reports(submission: Submission) -> list[TargetReport]:
    return list(submission.target_reports.select_related("target").order_by("position"))


def field(page: Page, name: str):
    return page.locator(f'#submission-form [name="{name}"]')


def completed_on() -> str:
    """Yesterday in Vietnam: a completion date the form accepts (never in the future)."""
    return (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")


def open_from_my_work(page: Page, live_server, submission: Submission) -> None:
    """From the landing page, follow "My work" and the round's row to the report."""
    page.locator('nav a.nav-link[href="/"]').click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.locator(f'a[href="/reports/submissions/{submission.pk}/"]').click()
    expect(page).to_have_url(f"{live_server.url}/reports/submissions/{submission.pk}/")
    expect(page.locator("#submission-form")).to_be_visible()


def save_draft(page: Page) -> None:
    with page.expect_navigation():
        page.locator('#submission-form button[name="action"][value="save"]').click()


def test_officer_fills_saves_reloads_and_head_submits(
    page: Page, live_server, submission, sct_officer, sct_head
):
    tasks = task_reports(submission)
    targets = target_reports(submission)
    ct1 = next(t for t in targets if t.target.code == "CT1")

    # The officer signs in and reaches the report through "My work".
    login(page, live_server, sct_officer.username, PASSWORD)
    open_from_my_work(page, live_server, submission)
    # The agency has a head: the officer prepares the draft but cannot submit it.
    expect(page.locator('button[name="action"][value="submit"]')).to_have_count(0)
    expect(page.locator('button[name="action"][value="save"]')).to_be_visible()

    # Fill every task: alternate "in progress" (with a progress) and "done" (with a date).
    expected_tasks = {}
    for index, report in enumerate(tasks):
        prefix = f"task-{report.pk}"
        done = index % 2 == 1
        field(page, f"{prefix}-state").select_option("done" if done else "in_progress")
        if done:
            field(page, f"{prefix}-completed_on").fill(completed_on())
        else:
            field(page, f"{prefix}-progress").fill(str(20 + 10 * index))
        results = f"{RESULTS} ({report.task.code})"
        field(page, f"{prefix}-results").fill(results)
        field(page, f"{prefix}-difficulties").fill("Thiếu kinh phí đối ứng")
        expected_tasks[report.pk] = (done, results)
    # Every target: CT1 gets the decimal comma, the others other Vietnamese spellings.
    other_values = iter([("1.234,5", "1234,5"), ("12", "12"), ("0,75", "0,75")])
    expected_targets = {}
    for report in targets:
        typed, shown = ("37,4", "37,4") if report.pk == ct1.pk else next(other_values)
        field(page, f"target-{report.pk}-actual").fill(typed)
        field(page, f"target-{report.pk}-source").fill("Cục Thống kê tỉnh")
        expected_targets[report.pk] = shown  # thousands dots are not shown back
    field(page, "overall_assessment").fill(OVERALL)

    save_draft(page)
    expect(page.locator(".alert-success")).to_contain_text(vi("Draft saved."))

    # Reload: everything typed came back from the database.
    page.reload()
    expect(field(page, f"target-{ct1.pk}-actual")).to_have_value("37,4")
    for pk, value in expected_targets.items():
        expect(field(page, f"target-{pk}-actual")).to_have_value(value)
    for pk, (done, results) in expected_tasks.items():
        expect(field(page, f"task-{pk}-state")).to_have_value("done" if done else "in_progress")
        expect(field(page, f"task-{pk}-results")).to_have_value(results)
        if done:
            expect(field(page, f"task-{pk}-completed_on")).to_have_value(completed_on())
            expect(field(page, f"task-{pk}-progress")).to_have_value("100")
    expect(field(page, "overall_assessment")).to_have_value(OVERALL)

    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert submission.updated_by == sct_officer
    ct1.refresh_from_db()
    assert ct1.actual == Decimal("37.4")
    assert TaskReport.objects.get(pk=tasks[0].pk).results == f"{RESULTS} ({tasks[0].task.code})"
    assert TargetReport.objects.get(target__code="CT1.1", submission=submission).actual == (
        Decimal("1234.5")
    )

    # The officer signs out; the head signs in, opens the report and submits it.
    logout(page, live_server)
    login(page, live_server, sct_head.username, PASSWORD)
    open_from_my_work(page, live_server, submission)
    expect(field(page, f"target-{ct1.pk}-actual")).to_have_value("37,4")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    submit = page.locator('#submission-form button[name="action"][value="submit"]')
    with page.expect_navigation():
        submit.click()
    assert len(dialogs) == 1

    # Submitted: read-only for the agency.
    expect(page.locator(".alert-success")).to_contain_text(
        vi("The report was submitted to the focal point.")
    )
    main = page.locator("main")
    expect(main.get_by_text(vi("Submitted"), exact=True).first).to_be_visible()
    expect(main).to_contain_text(
        vi("Submitted: the report is read-only for the agency unless the focal point returns it.")
    )
    form = page.locator("#submission-form")
    expect(form.locator("textarea")).to_have_count(0)
    expect(form.locator("select")).to_have_count(0)
    expect(form.locator('input:not([type="hidden"])')).to_have_count(0)
    expect(page.locator('button[name="action"]')).to_have_count(0)
    expect(form).to_contain_text(RESULTS)
    expect(form).to_contain_text("37,4")

    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.submitted_by == sct_head
    assert submission.submitted_at is not None


def test_validation_error_keeps_what_was_typed(page: Page, live_server, submission, sct_officer):
    first_task = task_reports(submission)[0]
    ct1 = next(t for t in target_reports(submission) if t.target.code == "CT1")
    version_before = submission.version

    login(page, live_server, sct_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/submissions/{submission.pk}/")
    field(page, f"task-{first_task.pk}-state").select_option("in_progress")
    field(page, f"task-{first_task.pk}-results").fill(RESULTS)
    field(page, f"target-{ct1.pk}-actual").fill("abc")
    save_draft(page)

    # The page says nothing was saved, marks the field and keeps the typed text.
    expect(page.locator(".alert-danger")).to_contain_text(
        vi("Nothing was saved: please correct the fields marked in red. Your text is kept.")
    )
    actual = field(page, f"target-{ct1.pk}-actual")
    expect(actual).to_have_value("abc")
    expect(actual).to_have_class(re.compile(r"\bis-invalid\b"))
    error = page.locator(f"#div_id_target-{ct1.pk}-actual .invalid-feedback")
    expect(error).to_be_visible()
    expect(error).to_contain_text(vi("Enter a number, e.g. 37,4 or 1.234,5."))
    expect(field(page, f"task-{first_task.pk}-results")).to_have_value(RESULTS)
    expect(field(page, f"task-{first_task.pk}-state")).to_have_value("in_progress")

    # Nothing reached the database.
    submission.refresh_from_db()
    assert submission.state == Submission.State.NOT_STARTED
    assert submission.version == version_before
    ct1.refresh_from_db()
    assert ct1.actual is None
    first_task.refresh_from_db()
    assert first_task.results == ""
    assert first_task.state == ""


def test_double_click_on_submit_submits_once(page: Page, live_server, submission, sct_head):
    # A complete draft, prepared directly in the database.
    for index, report in enumerate(task_reports(submission)):
        report.state = "in_progress"
        report.progress = 10 + index
        report.results = f"{RESULTS} ({report.task.code})"
        report.save()
    for report in target_reports(submission):
        report.actual = Decimal("37.4")
        report.save()
    submission.overall_assessment = OVERALL
    submission.save()

    login(page, live_server, sct_head.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/submissions/{submission.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    submit = page.locator('#submission-form button[name="action"][value="submit"]')
    expect(submit).to_be_enabled()
    # Two clicks in the same task, faster than any user: the second must not send the form again.
    with page.expect_navigation():
        submit.evaluate("button => { button.click(); button.click(); }")
    expect(page.locator('button[name="action"]')).to_have_count(0)

    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.submitted_by == sct_head
    assert Submission.history.filter(history_change_reason="submitted").count() == 1
