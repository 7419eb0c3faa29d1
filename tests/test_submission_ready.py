"""An officer marks the draft ready for the head's approval: the head is told and sees it."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from reports import services
from reports.models import Submission
from tests.conftest import fill_submission, page_text, submission_post_data

pytestmark = pytest.mark.usefixtures("before_due")


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


def test_the_officer_marks_the_draft_ready_and_the_head_is_told(
    client, officer, head, submission, django_capture_on_commit_callbacks
):
    head.email = "ld@stc.example.vn"
    head.save(update_fields=["email"])
    fill_submission(submission, officer)
    client.force_login(officer)
    assert 'value="ready"' in page_text(client.get(url(submission)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(submission), submission_post_data(submission, action="ready"))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT  # still with the agency
    assert (submission.ready_by, submission.ready_at is not None) == (officer, True)
    assert submission.history.first().history_change_reason == "ready"
    note = Notification.objects.get(kind="ready")
    assert note.user == head
    assert not Notification.objects.filter(user=officer).exists()
    assert [m.to for m in mail.outbox] == [["ld@stc.example.vn"]]
    assert "trình lãnh đạo duyệt" in mail.outbox[0].subject + mail.outbox[0].body

    client.force_login(head)
    home = page_text(client.get(reverse("home")))
    assert "Dự thảo chờ duyệt" in home
    history = page_text(client.get(reverse("reports:history", args=[submission.pk])))
    assert "Đã trình lãnh đạo duyệt" in history


def test_marking_ready_twice_tells_the_head_once(
    officer, head, submission, django_capture_on_commit_callbacks
):
    fill_submission(submission, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_mark_ready(submission=submission, user=officer)
        services.submission_mark_ready(submission=submission, user=officer)
    assert Notification.objects.filter(kind="ready").count() == 1


def test_the_head_does_not_mark_ready_and_is_not_offered_it(client, officer, head, submission):
    fill_submission(submission, officer)
    with pytest.raises(services.WorkflowError):
        services.submission_mark_ready(submission=submission, user=head)
    client.force_login(head)
    assert 'value="ready"' not in page_text(client.get(url(submission)))


def test_submitting_clears_the_ready_mark(officer, head, submission):
    fill_submission(submission, officer)
    services.submission_mark_ready(submission=submission, user=officer)
    submitted = services.submission_submit(submission=submission, user=head)
    assert submitted.ready_at is None
