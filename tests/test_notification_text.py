"""Workflow e-mails with what officials type: a title with a line break, quotes and '&'."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from reports import services
from reports.models import Submission

TITLE = 'Báo cáo "đột xuất"\r\nvề A & B'


@pytest.fixture
def returned(seed_plan, reviewer, agency, officer, head, django_capture_on_commit_callbacks):
    for user, address in ((officer, "cv@stc.example.vn"), (head, "ld@stc.example.vn")):
        user.email = address
        user.save(update_fields=["email"])
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026, title=TITLE)
    submission = Submission.objects.get(round=round_, agency=agency)
    rows = {
        r.pk: {"state": "in_progress", "progress": 50, "results": "Kết quả"}
        for r in submission.task_reports.all()
    }
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Đạt"},
        task_rows=rows,
        target_rows={},
    )
    submission = services.submission_submit(submission=submission, user=head)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            submission=submission, user=reviewer, comment='Sửa mục "2" & mục 3'
        )
    return list(mail.outbox)  # the mails of the return (the outbox is cleared per test)


def test_a_title_with_a_line_break_still_gives_a_one_line_subject(returned):
    assert len(returned) == 2  # officer and head
    subject = returned[0].subject
    assert "\n" not in subject and "\r" not in subject
    assert subject == '«Báo cáo "đột xuất" về A & B» được trả lại để chỉnh sửa'


def test_the_text_mail_and_the_inbox_show_quotes_and_ampersands_as_typed(returned, client, officer):
    body = returned[0].body
    assert 'Ý kiến: Sửa mục "2" & mục 3' in body
    assert "&quot;" not in body and "&amp;" not in body
    note = Notification.objects.filter(user=officer).get()
    assert 'Sửa mục "2" & mục 3' in note.body
    client.force_login(officer)
    page = client.get(reverse("notifications:inbox")).content.decode()
    # escaped once by the page, never twice
    assert "&amp;quot;" not in page and "&amp;amp;" not in page
    assert "Sửa mục &quot;2&quot; &amp; mục 3" in page


def test_the_inbox_shows_a_long_return_comment_whole(
    seed_plan, reviewer, agency, officer, head, client, django_capture_on_commit_callbacks
):
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    submission = Submission.objects.get(round=round_, agency=agency)
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Đạt"},
        task_rows={
            r.pk: {"state": "in_progress", "progress": 50, "results": "Kết quả"}
            for r in submission.task_reports.all()
        },
        target_rows={},
    )
    submission = services.submission_submit(submission=submission, user=head)
    comment = " ".join(f"ý{n}" for n in range(80)) + " kết thúc ý kiến"
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=submission, user=reviewer, comment=comment)
    client.force_login(officer)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert comment in page
