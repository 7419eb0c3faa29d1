"""What the reviewer and the agency read about a report: history labels, e-mail subjects,
the lock note and the board export's file name."""

import pytest
from django.core import mail
from django.urls import reverse

from common.text import ascii_slug
from reports import services
from reports.models import Submission
from tests.test_review_workflow import filled, round_2026  # noqa: F401 (fixtures)


@pytest.fixture
def submitted(filled):  # noqa: F811 (the imported fixture)
    """STC's report, complete and submitted by its head (tests/test_review_workflow.py)."""
    return filled


def test_history_shows_event_labels_not_codes(client, submitted, reviewer, officer, head):
    services.submission_return(submission=submitted, user=reviewer, comment="Bổ sung số liệu")
    services.submission_submit(submission=Submission.objects.get(pk=submitted.pk), user=head)
    services.submission_accept(submission=Submission.objects.get(pk=submitted.pk), user=reviewer)
    client.force_login(officer)
    page = client.get(reverse("reports:history", args=[submitted.pk])).content.decode()
    for code in ("submitted", "resubmitted", "accepted"):
        assert f">{code}<" not in page and f"· {code}" not in page
    assert "Đã gửi lại" in page or "Gửi lại" in page
    assert "Bổ sung số liệu" in page


def test_notification_subjects_do_not_double_the_word(
    submitted, reviewer, officer, head, django_capture_on_commit_callbacks
):
    officer.email, head.email, reviewer.email = "a@x.vn", "b@x.vn", "c@x.vn"
    for user in (officer, head, reviewer):
        user.save()
    assert submitted.round.title.startswith("Báo cáo")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_accept(submission=submitted, user=reviewer)
    assert mail.outbox
    for message in mail.outbox:
        assert "Báo cáo] «Báo cáo" not in message.subject
        assert "Báo cáo Báo cáo" not in message.subject.replace("«", "").replace("] ", " ")
        assert submitted.round.title in message.subject


def test_accepted_report_lock_note_says_accepted(client, submitted, reviewer, officer):
    client.force_login(officer)
    page = client.get(reverse("reports:submission", args=[submitted.pk])).content.decode()
    assert "Đã gửi:" in page
    services.submission_accept(submission=submitted, user=reviewer)
    page = client.get(reverse("reports:submission", args=[submitted.pk])).content.decode()
    assert "Đã tiếp nhận:" in page and "Đã gửi:" not in page


def test_board_export_has_a_readable_file_name(client, round_2026, reviewer):  # noqa: F811
    client.force_login(reviewer)
    response = client.get(reverse("reports:round_export", args=[round_2026.pk]))
    disposition = response["Content-Disposition"]
    plan = round_2026.plan
    assert f"round-{round_2026.pk}.xlsx" not in disposition
    assert f'filename="bang-theo-doi-{plan.number or plan.code}-bao-cao-nam-2026.xlsx"' in (
        disposition
    )
    assert "filename*=UTF-8''B%E1%BA%A3ng%20theo%20d%C3%B5i%20" in disposition
    assert disposition.isascii()


def test_fold_treats_d_stroke_as_d():
    assert ascii_slug("Đắk Lắk – Đồng Nai") == "dak-lak-dong-nai"
