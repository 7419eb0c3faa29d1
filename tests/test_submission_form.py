"""The submission form (reports:submission): fields, drafts, submitting, contributions."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from plans.models import Target
from reports import services
from reports.models import Contribution, Round, Submission, TargetReport
from tasks.models import Task
from tests.conftest import (
    complete_post_data,
    page_text,
    submission_form_html,
    submission_post_data,
)

pytestmark = pytest.mark.usefixtures("before_due")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


@pytest.fixture
def target_row(submission, seed_plan) -> TargetReport:
    """Give agency A one numeric target to report (the seed plan gives Sở Tài chính none)."""
    target = Target.objects.get(plan=seed_plan, code="CT1")
    return TargetReport.objects.create(submission=submission, target=target, position=0)


@pytest.fixture
def reports(submission):
    return list(submission.task_reports.select_related("task"))


# --- what the page offers ----------------------------------------------------------------------


def test_it_offers_every_task_field_for_every_task_row(client, officer, submission, reports):
    client.force_login(officer)
    form = submission_form_html(client.get(url(submission)))
    assert len(reports) == 8
    for report in reports:
        for field in ["state", "progress", "completed_on", "results", "difficulties", "evidence"]:
            assert f'name="task-{report.pk}-{field}"' in form, (report.task.code, field)
            assert f'id="id_task-{report.pk}-{field}"' in form
        assert report.task.content[:60] in form


def test_it_offers_target_and_overall_fields(client, officer, submission, target_row):
    client.force_login(officer)
    form = submission_form_html(client.get(url(submission)))
    for field in ["actual", "source", "note"]:
        assert f'name="target-{target_row.pk}-{field}"' in form
    for field in [
        "overall_assessment",
        "difficulties",
        "proposals",
        "document_number",
        "document_date",
        "document_file",
    ]:
        assert f'name="{field}"' in form, field
    assert f'name="version" value="{submission.version}"' in form


def test_it_requires_sign_in(client, submission):
    response = client.get(url(submission))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- drafts ---------------------------------------------------------------------------------------


def test_it_saves_a_draft_with_partial_data(client, officer, submission, reports):
    first = reports[0]
    client.force_login(officer)
    data = submission_post_data(
        submission,
        **{
            f"task-{first.pk}-state": "in_progress",
            f"task-{first.pk}-results": "Đã trình UBND tỉnh dự thảo",
            "proposals": "Đề nghị bổ sung kinh phí",
        },
    )
    response = client.post(url(submission), data)
    assert response.status_code == 302
    assert response.url == url(submission)
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert submission.version == 1
    assert submission.updated_by == officer
    assert submission.proposals == "Đề nghị bổ sung kinh phí"
    first.refresh_from_db()
    assert (first.state, first.progress, first.results) == (
        "in_progress",
        None,
        "Đã trình UBND tỉnh dự thảo",
    )
    assert all(r.state == "" for r in submission.task_reports.exclude(pk=first.pk))


def test_draft_saves_every_field_of_a_row(client, officer, submission, reports, target_row):
    done, going = reports[1], reports[2]
    client.force_login(officer)
    data = submission_post_data(
        submission,
        **{
            f"task-{done.pk}-state": "done",
            f"task-{done.pk}-completed_on": "20/11/2021",
            f"task-{done.pk}-results": "Đã ban hành",
            f"task-{done.pk}-difficulties": "Không",
            f"task-{going.pk}-state": "in_progress",
            f"task-{going.pk}-progress": "45",
            f"target-{target_row.pk}-actual": "36,8",
            f"target-{target_row.pk}-source": "Cục Thống kê",
            f"target-{target_row.pk}-note": "Gần đạt",
            "overall_assessment": "Cơ bản hoàn thành",
            "difficulties": "Thiếu vốn",
            "document_number": "123/BC-STC",
            "document_date": "04/12/2026",
        },
    )
    assert client.post(url(submission), data).status_code == 302
    done.refresh_from_db()
    going.refresh_from_db()
    target_row.refresh_from_db()
    submission.refresh_from_db()
    assert (done.state, done.progress, done.completed_on) == ("done", 100, dt.date(2021, 11, 20))
    assert (done.results, done.difficulties) == ("Đã ban hành", "Không")
    assert (going.state, going.progress) == ("in_progress", 45)
    assert (str(target_row.actual), target_row.source, target_row.note) == (
        "36.800",
        "Cục Thống kê",
        "Gần đạt",
    )
    assert submission.overall_assessment == "Cơ bản hoàn thành"
    assert submission.difficulties == "Thiếu vốn"
    assert submission.document_number == "123/BC-STC"
    assert submission.document_date == dt.date(2026, 12, 4)


def test_saved_draft_is_shown_back_in_the_form(client, officer, submission, reports):
    client.force_login(officer)
    data = submission_post_data(
        submission,
        **{f"task-{reports[0].pk}-results": "Kết quả đã lưu nháp", "document_date": "01/12/2026"},
    )
    client.post(url(submission), data)
    form = submission_form_html(client.get(url(submission)))
    assert "Kết quả đã lưu nháp" in form
    assert 'value="01/12/2026"' in form
    assert 'name="version" value="1"' in form


def test_signed_document_pdf_is_stored(client, head, submission, media_root):
    client.force_login(head)
    data = submission_post_data(submission, document_number="45/BC-STC")
    data["document_file"] = SimpleUploadedFile("bao-cao.pdf", PDF, "application/pdf")
    assert client.post(url(submission), data).status_code == 302
    submission.refresh_from_db()
    assert submission.document_file
    assert submission.document_file.read() == PDF
    response = client.get(reverse("reports:document", args=[submission.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_replaced_signed_document_is_deleted_once_the_save_commits(
    client, head, submission, media_root, django_capture_on_commit_callbacks
):
    client.force_login(head)
    data = submission_post_data(submission, document_number="45/BC-STC")
    data["document_file"] = SimpleUploadedFile("bao-cao.pdf", PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(submission), data).status_code == 302
    submission.refresh_from_db()
    first = submission.document_file.name
    assert submission.document_file.storage.exists(first)
    data = submission_post_data(submission, document_number="46/BC-STC")
    data["document_file"] = SimpleUploadedFile("bao-cao-moi.pdf", PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(submission), data).status_code == 302
    submission.refresh_from_db()
    assert submission.document_file.name != first
    assert submission.document_file.storage.exists(submission.document_file.name)
    assert not submission.document_file.storage.exists(first)


def test_signed_document_must_be_a_pdf(client, head, submission, media_root):
    client.force_login(head)
    data = submission_post_data(submission, document_number="45/BC-STC")
    data["document_file"] = SimpleUploadedFile("bao-cao.pdf", b"just text", "application/pdf")
    response = client.post(url(submission), data)
    assert response.status_code == 200
    submission.refresh_from_db()
    assert not submission.document_file
    assert submission.document_number == ""
    assert submission.version == 0


# --- submitting -----------------------------------------------------------------------------------


def test_submit_points_at_each_missing_answer_and_keeps_the_draft(
    client, head, submission, reports
):
    first, second = reports[0], reports[1]
    client.force_login(head)
    data = submission_post_data(
        submission,
        action="submit",
        **{
            f"task-{first.pk}-state": "in_progress",
            f"task-{first.pk}-results": "Đang triển khai",
            f"task-{second.pk}-state": "done",
            f"task-{second.pk}-results": "Đã xong",
        },
    )
    response = client.post(url(submission), data)
    assert response.status_code == 200
    page = page_text(response)
    links = set(re.findall(r'href="#(id_[^"]+)"', page))
    expected = {f"id_task-{first.pk}-progress", f"id_task-{second.pk}-completed_on"}
    expected |= {f"id_task-{r.pk}-state" for r in reports[2:]}
    expected.add("id_overall_assessment")
    assert links == expected
    for anchor in links:  # every link lands on a field of the page
        assert f'id="{anchor}"' in page
    # The draft was saved all the same, and not submitted.
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert submission.version == 1
    first.refresh_from_db()
    assert first.results == "Đang triển khai"
    assert "Đang triển khai" in submission_form_html(response)


def test_submit_asks_for_results_and_target_values(client, head, submission, reports, target_row):
    client.force_login(head)
    data = complete_post_data(
        submission,
        **{f"task-{reports[3].pk}-results": "  ", f"target-{target_row.pk}-actual": ""},
    )
    data[f"target-{target_row.pk}-note"] = ""
    page = page_text(client.post(url(submission), data))
    links = set(re.findall(r'href="#(id_[^"]+)"', page))
    assert links == {f"id_task-{reports[3].pk}-results", f"id_target-{target_row.pk}-actual"}
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT


def test_head_submits_a_complete_report(client, head, submission, target_row):
    client.force_login(head)
    response = client.post(url(submission), complete_post_data(submission), follow=True)
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.submitted_by == head
    assert submission.first_submitted_at is not None
    assert vi("The report was submitted to the focal point.") in page_text(response)
    target_row.refresh_from_db()
    assert str(target_row.actual) == "37.400"


def test_only_the_head_sees_the_submit_button(client, officer, head, submission):
    client.force_login(officer)
    assert 'value="submit"' not in submission_form_html(client.get(url(submission)))
    client.force_login(head)
    assert 'value="submit"' in submission_form_html(client.get(url(submission)))


def test_submitted_report_is_read_only_for_the_agency(client, head, officer, submission):
    client.force_login(head)
    client.post(url(submission), complete_post_data(submission))
    client.force_login(officer)
    form = submission_form_html(client.get(url(submission)))
    assert "<textarea" not in form
    assert "<select" not in form
    inputs = re.findall(r"<input[^>]*>", form)
    assert all('type="hidden"' in tag for tag in inputs), inputs
    assert 'type="submit"' not in form
    assert "Kết quả thực hiện nhiệm vụ IV.2.1" in form  # shown as text


def test_returned_report_is_editable_again_and_shows_the_comment(
    client, head, officer, reviewer, submission
):
    client.force_login(head)
    client.post(url(submission), complete_post_data(submission))
    services.submission_return(
        submission=submission, user=reviewer, comment="Bổ sung số liệu vốn đầu tư."
    )
    client.force_login(officer)
    response = client.get(url(submission))
    assert "Bổ sung số liệu vốn đầu tư." in page_text(response)
    form = submission_form_html(response)
    assert 'name="overall_assessment"' in form
    data = submission_post_data(submission, overall_assessment="Đã bổ sung số liệu")
    assert client.post(url(submission), data).status_code == 302
    submission.refresh_from_db()
    assert submission.overall_assessment == "Đã bổ sung số liệu"
    assert submission.state == Submission.State.RETURNED


# --- contributions from coordinating agencies --------------------------------------------------


@pytest.fixture
def coordinated_task(seed_plan, other_agency) -> Task:
    """Sở KH&CN coordinates task IV.2.3, which Sở Tài chính now answers for."""
    task = Task.objects.get(plan=seed_plan, code="IV.2.3")
    task.coordinators.add(other_agency)
    return task


def contribution_url(round_, task) -> str:
    return reverse("reports:contribution", args=[round_.pk, task.pk])


def test_coordinator_adds_a_contribution_the_lead_sees(
    client, other_officer, officer, round_2026, coordinated_task, submission
):
    client.force_login(other_officer)
    response = client.post(
        contribution_url(round_2026, coordinated_task),
        {"text": "Đã hỗ trợ 3 doanh nghiệp đổi mới công nghệ"},
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.task, contribution.agency.abbreviation) == (coordinated_task, "SKHCN")
    assert contribution.updated_by == other_officer

    client.force_login(officer)
    page = page_text(client.get(url(submission)))
    card = re.search(r'id="task-IV\.2\.3".*?</article>', page, re.S).group(0)
    assert "Đã hỗ trợ 3 doanh nghiệp đổi mới công nghệ" in card
    assert str(contribution.agency) in card


def test_a_second_contribution_replaces_the_first(
    client, other_officer, round_2026, coordinated_task
):
    client.force_login(other_officer)
    client.post(contribution_url(round_2026, coordinated_task), {"text": "Lần một"})
    client.post(contribution_url(round_2026, coordinated_task), {"text": "Lần hai"})
    assert list(Contribution.objects.values_list("text", flat=True)) == ["Lần hai"]


def test_an_empty_contribution_is_refused(client, other_officer, round_2026, coordinated_task):
    client.force_login(other_officer)
    client.post(contribution_url(round_2026, coordinated_task), {"text": "   "})
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("role", ["officer", "head", "reviewer", "leader", "admin_user"])
def test_only_coordinators_contribute(client, request, round_2026, coordinated_task, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(contribution_url(round_2026, coordinated_task), {"text": "Ý kiến"})
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_coordinator_sees_the_task_on_its_home_page(
    client, other_officer, round_2026, coordinated_task
):
    client.force_login(other_officer)
    page = page_text(client.get(reverse("home")))
    assert contribution_url(round_2026, coordinated_task) in page


def test_coordinator_is_offered_the_task_in_a_round_it_owes_nothing_in(
    client, other_officer, seed_plan, reviewer, coordinated_task
):
    ad_hoc = services.round_open(
        plan=seed_plan,
        opened_by=reviewer,
        kind=Round.Kind.AD_HOC,
        year=2026,
        due_on=dt.date(2026, 12, 20),
        scope=[coordinated_task],
    )
    assert not ad_hoc.submissions.filter(agency__abbreviation="SKHCN").exists()
    client.force_login(other_officer)
    page = page_text(client.get(reverse("home")))
    assert contribution_url(ad_hoc, coordinated_task) in page


def test_a_task_not_started_with_a_reason_needs_no_results(client, head, submission, reports):
    client.force_login(head)
    key = f"task-{reports[0].pk}-"
    data = complete_post_data(
        submission,
        **{
            key + "state": "not_started",
            key + "progress": "",
            key + "results": "",
            key + "difficulties": "Chưa được bố trí kinh phí",
        },
    )
    response = client.post(url(submission), data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    reports[0].refresh_from_db()
    assert (reports[0].state, reports[0].results) == ("not_started", "")


def test_a_task_not_started_without_a_reason_is_asked_for_one(client, head, submission, reports):
    client.force_login(head)
    key = f"task-{reports[0].pk}-"
    data = complete_post_data(
        submission, **{key + "state": "not_started", key + "progress": "", key + "results": ""}
    )
    page = page_text(client.post(url(submission), data))
    links = set(re.findall(r'href="#(id_[^"]+)"', page))
    assert links == {f"id_task-{reports[0].pk}-difficulties"}
    assert (
        vi("Task %(code)s: say why it has not started yet.") % {"code": reports[0].task.code}
        in page
    )
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT


def test_submitting_an_unchanged_draft_records_one_version_not_two(
    client, officer, head, submission
):
    from tests.conftest import fill_submission

    fill_submission(submission, officer)
    before = submission.history.count()
    task_versions = sum(r.history.count() for r in submission.task_reports.all())
    client.force_login(head)
    response = client.post(url(submission), submission_post_data(submission, action="submit"))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.history.count() == before + 1
    assert submission.history.first().history_change_reason == "submitted"
    assert sum(r.history.count() for r in submission.task_reports.all()) == task_versions


def test_saving_an_unchanged_draft_records_no_version(client, officer, submission):
    from tests.conftest import fill_submission

    fill_submission(submission, officer)
    submission.refresh_from_db()
    before, version = submission.history.count(), submission.version
    client.force_login(officer)
    assert client.post(url(submission), submission_post_data(submission)).status_code == 302
    submission.refresh_from_db()
    assert (submission.history.count(), submission.version) == (before, version)
