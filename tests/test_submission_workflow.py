"""Who submits, what submitting locks, and how a return reopens the report (services + view)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reports import services
from reports.models import Submission
from tests.conftest import (
    complete_post_data,
    fill_submission,
    page_text,
    submission_form_html,
    submission_post_data,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("before_due")


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


def reasons(submission) -> list[str]:
    return list(
        submission.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )


@pytest.fixture
def filled(submission, officer):
    return fill_submission(submission, officer)


# --- who gives the agency's word -----------------------------------------------------------------


def test_head_submits_and_history_says_who_and_why(filled, head):
    result = services.submission_submit(submission=filled, user=head)
    assert result.state == Submission.State.SUBMITTED
    filled.refresh_from_db()
    assert filled.state == Submission.State.SUBMITTED
    assert filled.submitted_by == head
    assert filled.first_submitted_at == filled.submitted_at
    last = filled.history.order_by("-history_id").first()
    assert (last.history_change_reason, last.history_user, last.state) == (
        "submitted",
        head,
        "submitted",
    )


def test_it_requires_the_head_where_the_agency_has_one(filled, officer, head):
    with pytest.raises(services.WorkflowError) as excinfo:
        services.submission_submit(submission=filled, user=officer)
    assert not isinstance(excinfo.value, services.Incomplete)
    filled.refresh_from_db()
    assert filled.state == Submission.State.DRAFT


def test_officer_submits_where_the_agency_has_no_head(filled, officer):
    services.submission_submit(submission=filled, user=officer)
    filled.refresh_from_db()
    assert filled.state == Submission.State.SUBMITTED
    assert filled.submitted_by == officer


def test_officer_submits_where_the_only_head_is_inactive(filled, officer, agency):
    UserFactory(username="stc.ld.cu", head=True, agency=agency, is_active=False)
    services.submission_submit(submission=filled, user=officer)
    filled.refresh_from_db()
    assert filled.state == Submission.State.SUBMITTED


def test_a_head_of_another_agency_cannot_submit(filled, other_agency):
    other_head = UserFactory(username="skhcn.ld", head=True, agency=other_agency)
    with pytest.raises(PermissionDenied):
        services.submission_submit(submission=filled, user=other_head)
    filled.refresh_from_db()
    assert filled.state == Submission.State.DRAFT


@pytest.mark.parametrize("role", ["reviewer", "leader", "admin_user"])
def test_nobody_outside_the_agency_submits(request, filled, role):
    with pytest.raises(PermissionDenied):
        services.submission_submit(submission=filled, user=request.getfixturevalue(role))
    filled.refresh_from_db()
    assert filled.state == Submission.State.DRAFT


def test_incomplete_report_is_refused_with_what_is_missing(submission, head):
    with pytest.raises(services.Incomplete) as excinfo:
        services.submission_submit(submission=submission, user=head)
    fields = [m.field for m in excinfo.value.missing]
    rows = list(submission.task_reports.all())
    assert fields == [f"task-{r.pk}-state" for r in rows] + ["overall_assessment"]
    submission.refresh_from_db()
    assert submission.state == Submission.State.NOT_STARTED


def test_officer_pressing_submit_gets_a_message_and_keeps_the_draft(
    client, officer, head, submission
):
    client.force_login(officer)
    response = client.post(url(submission), complete_post_data(submission), follow=True)
    assert response.status_code == 200
    assert vi("Only the agency's head can submit the report.") in page_text(response)
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert submission.overall_assessment.startswith("Đánh giá chung")


def test_submission_is_on_time_before_the_due_date(filled, head):
    services.submission_submit(submission=filled, user=head)
    filled.refresh_from_db()
    assert filled.timeliness() == "on_time"


# --- read-only once submitted --------------------------------------------------------------------


@pytest.fixture
def submitted(filled, head):
    return services.submission_submit(submission=filled, user=head)


def test_submitted_report_refuses_a_save(submitted, officer):
    with pytest.raises(services.NotEditable):
        services.submission_save(
            submission=submitted,
            user=officer,
            version=submitted.version,
            fields={"overall_assessment": "Sửa sau khi gửi"},
            task_rows={},
            target_rows={},
        )
    submitted.refresh_from_db()
    assert submitted.overall_assessment.startswith("Đánh giá chung")


@pytest.mark.parametrize("role", ["officer", "head"])
def test_posting_to_a_submitted_report_changes_nothing(client, request, submitted, role):
    client.force_login(request.getfixturevalue(role))
    version = submitted.version
    data = submission_post_data(submitted, overall_assessment="Sửa sau khi gửi")
    response = client.post(url(submitted), data, follow=True)
    assert response.status_code == 200
    assert vi("This report has already been submitted.") in page_text(response)
    submitted.refresh_from_db()
    assert submitted.overall_assessment.startswith("Đánh giá chung")
    assert submitted.version == version
    assert submitted.state == Submission.State.SUBMITTED


def test_submitted_page_shows_no_inputs(client, officer, submitted):
    client.force_login(officer)
    form = submission_form_html(client.get(url(submitted)))
    assert "<textarea" not in form and "<select" not in form
    assert 'type="file"' not in form and 'type="submit"' not in form


# --- return and resubmission -----------------------------------------------------------------


def test_reviewer_returns_the_report_to_the_agency(submitted, reviewer, officer):
    services.submission_return(submission=submitted, user=reviewer, comment="Thiếu số liệu 2026")
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.RETURNED
    assert submitted.return_comment == "Thiếu số liệu 2026"
    assert submitted.is_editable
    saved = services.submission_save(
        submission=submitted,
        user=officer,
        version=submitted.version,
        fields={"overall_assessment": "Đã bổ sung số liệu 2026"},
        task_rows={},
        target_rows={},
    )
    assert saved.overall_assessment == "Đã bổ sung số liệu 2026"
    assert saved.state == Submission.State.RETURNED


def test_returned_report_is_resubmitted_and_keeps_its_first_submission_time(
    submitted, reviewer, head
):
    first = submitted.first_submitted_at
    services.submission_return(submission=submitted, user=reviewer, comment="Bổ sung")
    services.submission_submit(submission=submitted, user=head)
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.RESUBMITTED
    assert submitted.first_submitted_at == first
    assert reasons(submitted)[-3:] == ["submitted", "Bổ sung", "resubmitted"]


def test_return_page_shows_the_comment_and_reopens_the_form(client, submitted, reviewer, officer):
    services.submission_return(submission=submitted, user=reviewer, comment="Ghi rõ nguồn số liệu")
    client.force_login(officer)
    response = client.get(url(submitted))
    assert "Ghi rõ nguồn số liệu" in page_text(response)
    assert 'name="overall_assessment"' in submission_form_html(response)


@pytest.mark.parametrize("role", ["officer", "head", "leader"])
def test_only_the_focal_point_returns(request, submitted, role):
    with pytest.raises(PermissionDenied):
        services.submission_return(
            submission=submitted, user=request.getfixturevalue(role), comment="Trả lại"
        )
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.SUBMITTED


def test_a_return_needs_a_comment(submitted, reviewer):
    with pytest.raises(services.WorkflowError):
        services.submission_return(submission=submitted, user=reviewer, comment="   ")
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.SUBMITTED


def test_a_draft_cannot_be_returned(filled, reviewer):
    with pytest.raises(services.WorkflowError):
        services.submission_return(submission=filled, user=reviewer, comment="Trả lại")
    filled.refresh_from_db()
    assert filled.state == Submission.State.DRAFT


def test_history_keeps_every_step_and_overwrites_nothing(filled, head, reviewer, officer):
    services.submission_submit(submission=filled, user=head)
    services.submission_return(submission=filled, user=reviewer, comment="Bổ sung")
    services.submission_save(
        submission=filled,
        user=officer,
        version=Submission.objects.get(pk=filled.pk).version,
        fields={"overall_assessment": "Bản sửa"},
        task_rows={},
        target_rows={},
    )
    assert reasons(filled) == [None, "draft saved", "submitted", "Bổ sung", "draft saved"]
    texts = list(filled.history.order_by("history_id").values_list("overall_assessment", flat=True))
    assert texts[-1] == "Bản sửa"
    assert texts[2].startswith("Đánh giá chung")  # the submitted words are still on record
