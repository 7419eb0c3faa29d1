"""Issue 4's journey in a real browser: submit, return with a comment, correct, resubmit, the
reviewer sees what changed and accepts, and the report is then read-only. Issue 15's: the review
page shows the agency's signed document with its check, and each task's comment sits beside its
task, for the reviewer and then for the agency."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from reports import services
from reports.models import Submission
from signing.services import sign_pdf_with_pkcs12
from tests.browser.conftest import login, logout
from tests.signing_support import AGENCY_NAME, P12_PASSWORD, build_pki, sample_pdf

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


# --- issue 15: the signed document and the comments by their tasks ---------------------------

COMMENT_X = "Nhiệm vụ này thiếu số liệu quý IV."
COMMENT_Y = "Đề nghị nêu rõ văn bản đã ban hành."


def _task(report) -> str:
    """The selector of a task's card (codes such as IV.2.1 hold dots)."""
    return f"[id='task-{report.task.code}']"


@pytest.fixture
def trusted_pki(tmp_path, settings):
    """The test certificate authority, trusted by the portal."""
    pki = build_pki()
    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / "ca.pem").write_bytes(pki.ca_pem())
    settings.SIGNING_TRUST_ROOTS = str(roots)
    return pki


def _in_a_thread(work):
    """Runs `work` in a thread of its own and returns its result. Signing and checking a
    signature run asyncio, which refuses to start under Playwright's running loop; the thread's
    database connection is closed when it is done (it would hold the test database open)."""

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def signed_pdf(trusted_pki) -> bytes:
    """A PDF signed with the test certificate."""
    return _in_a_thread(
        lambda: (
            sign_pdf_with_pkcs12(sample_pdf(), trusted_pki.p12(), P12_PASSWORD, AGENCY_NAME).content
        )
    )


@pytest.fixture
def signed_submission(submission, officer, head, signed_pdf, media_root) -> Submission:
    """The same report with its signed document (number, date, PDF) attached (checked on
    upload), then submitted by the head."""

    def attach_and_submit():
        saved = services.submission_save(
            submission=Submission.objects.get(pk=submission.pk),
            user=officer,
            version=submission.version,
            fields={
                "document_number": "125/BC-STC",
                "document_date": dt.date(2026, 12, 1),
                "document_file": SimpleUploadedFile("bc.pdf", signed_pdf, "application/pdf"),
            },
            task_rows={},
            target_rows={},
        )
        return services.submission_submit(submission=saved, user=head)

    return _in_a_thread(attach_and_submit)


def test_review_shows_the_signed_document_and_comments_stay_by_their_tasks(
    page: Page, live_server, signed_submission, signed_pdf
):
    x, y, z = signed_submission.task_reports.select_related("task").order_by("position")[:3]
    (signature,) = signed_submission.document_verification["signatures"]
    assert signature["signer"]

    # The reviewer sees the signed document: number, date, a PDF link and its check.
    login(page, live_server, "sct", "pw")
    page.goto(f"{live_server.url}/reports/submissions/{signed_submission.pk}/review/")
    panel = page.locator("#signed-document")
    expect(panel).to_contain_text("125/BC-STC")
    expect(panel).to_contain_text("01/12/2026")
    check = panel.locator("#document-check")
    expect(check).to_contain_text(f"{vi('Signer')}: {signature['signer']}")
    expect(check).to_contain_text(vi("not modified after signing"))
    expect(check).to_contain_text(vi("trusted certificate"))
    expect(check.locator("strong")).to_have_count(0)  # what is wrong is shown in bold
    expect(check).to_have_class(re.compile(r"\btext-success\b"))
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == "STC-2026.pdf"
    assert open(download.path(), "rb").read() == signed_pdf

    # A comment in the box beside task X and one beside task Y, then the report goes back.
    page.locator(f"{_task(x)} textarea[name='comment-{x.pk}']").fill(COMMENT_X)
    page.locator(f"{_task(y)} textarea[name='comment-{y.pk}']").fill(COMMENT_Y)
    page.fill("#return-form textarea[name=comment]", COMMENT)
    page.click("#return-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("Report returned to the agency with your comments.")
    )

    # Back on the review page, each comment is shown beside its own task only.
    expect(page).to_have_url(
        f"{live_server.url}/reports/submissions/{signed_submission.pk}/review/"
    )
    expect(page.locator("#return-comment")).to_contain_text(COMMENT)
    expect(page.locator(f"{_task(x)} .alert-warning")).to_contain_text(COMMENT_X)
    expect(page.locator(_task(x))).not_to_contain_text(COMMENT_Y)
    expect(page.locator(f"{_task(y)} .alert-warning")).to_contain_text(COMMENT_Y)
    expect(page.locator(_task(y))).not_to_contain_text(COMMENT_X)
    expect(page.locator(_task(z))).not_to_contain_text(COMMENT_X)
    expect(page.locator(_task(z))).not_to_contain_text(COMMENT_Y)
    logout(page, live_server)

    # The agency's officer sees each comment beside its task on the report form.
    login(page, live_server, "stc.cv", "pw")
    _open_report(page, live_server, signed_submission)
    task_x = page.locator(_task(x))
    task_y = page.locator(_task(y))
    expect(task_x.locator(".alert-warning")).to_contain_text(COMMENT_X)
    expect(task_x).not_to_contain_text(COMMENT_Y)
    expect(task_y.locator(".alert-warning")).to_contain_text(COMMENT_Y)
    expect(task_y).not_to_contain_text(COMMENT_X)
    expect(page.locator(f"{_task(z)} .alert-warning")).to_have_count(0)
    returned = Submission.objects.get(pk=signed_submission.pk)
    assert returned.state == "returned"
    assert returned.task_reports.get(pk=x.pk).review_comment == COMMENT_X
    assert returned.task_reports.get(pk=y.pk).review_comment == COMMENT_Y
