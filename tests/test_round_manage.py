"""The focal point manages a round: edit, close and reopen (with the reason), extend one agency's
due date; a closed round takes no more saves, whatever the page or service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from common.fields import EvidenceField
from reports import access, rounds, services
from reports.models import Contribution, Evidence, Round, Submission
from reports.round_forms import DayListField, RoundEditForm
from tasks.models import Task
from tests.conftest import complete_post_data, fill_submission, page_text, submission_post_data

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def closed_message(round_: Round) -> str:
    with translation.override("vi"):
        return str(services.RoundClosed(round_))


@pytest.fixture
def closed(round_2026, reviewer):
    return rounds.round_close(round_=round_2026, user=reviewer, reason="Hết hạn nhận báo cáo")


# --- close / reopen ------------------------------------------------------------------------------


def test_closing_records_who_when_and_why(round_2026, reviewer):
    round_ = rounds.round_close(round_=round_2026, user=reviewer, reason="Hết hạn")
    round_.refresh_from_db()
    assert not round_.is_open and round_.closed_by == reviewer
    record = round_.history.order_by("-history_id").first()
    assert record.history_user == reviewer
    assert record.history_change_reason == "closed: Hết hạn"


def test_closing_twice_changes_nothing(round_2026, reviewer, admin_user):
    first = rounds.round_close(round_=round_2026, user=reviewer)
    count = round_2026.history.count()
    second = rounds.round_close(round_=round_2026, user=admin_user)
    assert second.closed_at == first.closed_at and second.closed_by == reviewer
    assert round_2026.history.count() == count


def test_reopening_needs_a_reason_and_records_it(closed, reviewer):
    with pytest.raises(services.WorkflowError):
        rounds.round_reopen(round_=closed, user=reviewer, reason="   ")
    closed.refresh_from_db()
    assert not closed.is_open
    round_ = rounds.round_reopen(round_=closed, user=reviewer, reason="Sở Tài chính xin bổ sung")
    assert round_.is_open and round_.closed_by is None
    record = round_.history.order_by("-history_id").first()
    assert record.history_change_reason == "reopened: Sở Tài chính xin bổ sung"
    assert record.history_user == reviewer
    # A second click on "reopen" finds it open and records nothing more.
    count = round_.history.count()
    rounds.round_reopen(round_=round_, user=reviewer, reason="lần nữa")
    assert round_.history.count() == count


@pytest.mark.parametrize("who", ["officer", "head", "leader", "other_officer"])
def test_only_the_focal_point_and_admin_close_and_reopen(request, round_2026, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        rounds.round_close(round_=round_2026, user=user)
    round_2026.refresh_from_db()
    assert round_2026.is_open


def test_a_reviewer_of_another_agency_may_not_close(round_2026, agency):
    from accounts.models import User
    from tests.factories import UserFactory

    stranger = UserFactory(username="stc.reviewer", role=User.Role.REVIEWER, agency=agency)
    with pytest.raises(PermissionDenied):
        rounds.round_close(round_=round_2026, user=stranger)


def test_admin_closes_and_reopens(round_2026, admin_user):
    rounds.round_close(round_=round_2026, user=admin_user)
    assert rounds.round_reopen(round_=round_2026, user=admin_user, reason="Sửa").is_open


def test_close_and_reopen_pages(client, round_2026, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("reports:round_close", args=[round_2026.pk]), {"reason": "Đã hết hạn"}, follow=True
    )
    assert vi("Round closed: agencies can no longer change their reports.") in page_text(response)
    round_2026.refresh_from_db()
    assert not round_2026.is_open

    response = client.post(
        reverse("reports:round_reopen", args=[round_2026.pk]), {"reason": ""}, follow=True
    )
    assert vi("Give the reason for reopening the round.") in page_text(response)
    round_2026.refresh_from_db()
    assert not round_2026.is_open

    response = client.post(
        reverse("reports:round_reopen", args=[round_2026.pk]),
        {"reason": "Bổ sung số liệu"},
        follow=True,
    )
    text = page_text(response)
    assert vi("Round reopened: agencies can save their reports again.") in text
    assert "reopened: Bổ sung số liệu" in text and "closed: Đã hết hạn" in text  # the history
    round_2026.refresh_from_db()
    assert round_2026.is_open


# --- edit, with the reminder days as a list of numbers ------------------------------------------


def edit_data(round_: Round, **overrides) -> dict:
    data = {
        "title": round_.title,
        "due_on": round_.due_on.strftime("%d/%m/%Y"),
        "period_start": round_.period_start.strftime("%d/%m/%Y"),
        "period_end": round_.period_end.strftime("%d/%m/%Y"),
        "instructions": round_.instructions,
        "reminder_days_before": "",
        "reminder_days_after": "",
    }
    return data | overrides


def test_the_edit_page_saves_title_dates_and_reminder_days(client, round_2026, reviewer):
    client.force_login(reviewer)
    url = reverse("reports:round_edit", args=[round_2026.pk])
    response = client.post(
        url,
        edit_data(
            round_2026,
            title="Báo cáo năm 2026 (gia hạn)",
            due_on="15/12/2026",
            instructions="Gửi kèm văn bản ký số.",
            reminder_days_before="30, 14, 7, 3, 1",
            reminder_days_after="1; 3 7",
        ),
    )
    assert response.status_code == 302
    round_2026.refresh_from_db()
    assert round_2026.title == "Báo cáo năm 2026 (gia hạn)"
    assert round_2026.due_on == dt.date(2026, 12, 15)
    assert round_2026.instructions == "Gửi kèm văn bản ký số."
    assert round_2026.reminder_days_before == [30, 14, 7, 3, 1]
    assert round_2026.reminder_days_after == [1, 3, 7]
    record = round_2026.history.order_by("-history_id").first()
    assert record.history_user == reviewer and record.history_change_reason.startswith("edited")
    # The page shows the days as typed, not as JSON.
    assert 'value="30, 14, 7, 3, 1"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("name", "typed", "english"),
    [
        ("reminder_days_before", "30, mười, 7", "“mười” is not a whole number of days."),
        ("reminder_days_before", "30, -1", "“-1” is not a whole number of days."),
        ("reminder_days_before", "400", "400 days is more than a year (366 days at most)."),
        ("reminder_days_after", "0, 3", "0 days: the smallest allowed here is 1."),
        ("reminder_days_before", "[30, 14]", "“[30” is not a whole number of days."),
    ],
)
def test_bad_reminder_days_are_refused_and_the_text_is_kept(
    client, round_2026, reviewer, name, typed, english
):
    client.force_login(reviewer)
    data = edit_data(round_2026, title="Tiêu đề mới", **{name: typed})
    response = client.post(reverse("reports:round_edit", args=[round_2026.pk]), data)
    assert response.status_code == 200
    field = RoundEditForm.base_fields[name]
    with translation.override("en"):
        with pytest.raises(ValidationError) as shown:
            field.clean(typed)
        assert shown.value.messages[0].startswith(english)
    with translation.override("vi"):
        with pytest.raises(ValidationError) as shown:
            field.clean(typed)
        assert shown.value.messages[0] in page_text(response)
    assert f'value="{typed}"' in page_text(response)  # nothing typed is lost
    assert 'value="Tiêu đề mới"' in response.content.decode()
    round_2026.refresh_from_db()
    assert round_2026.title != "Tiêu đề mới" and round_2026.reminder_days_before == []


def test_day_list_field_messages_in_english_and_vietnamese():
    field = DayListField(minimum=1, descending=False)
    assert field.clean("7, 1, 3, 3") == [1, 3, 7]
    assert field.clean("") == []
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            field.clean("x")
        english = error.value.messages
    assert english == [
        "“x” is not a whole number of days. Type numbers separated by commas, e.g. 30, 14, 7, 3, 1."
    ]
    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            field.clean("x")
        vietnamese = error.value.messages
    assert vietnamese == [
        "“x” không phải là số ngày nguyên. Hãy nhập các số cách nhau bằng dấu phẩy, "
        "ví dụ 30, 14, 7, 3, 1."
    ]


def test_a_period_that_ends_before_it_starts_is_refused(round_2026):
    form = RoundEditForm(
        edit_data(round_2026, period_start="01/12/2026", period_end="01/11/2026"),
        instance=Round.objects.get(pk=round_2026.pk),
    )
    assert not form.is_valid()
    assert "period_end" in form.errors


# --- extend one agency's due date ---------------------------------------------------------------


def test_an_extension_moves_one_agencys_due_date_and_timeliness(round_2026, submission, reviewer):
    other = round_2026.submissions.exclude(pk=submission.pk).first()
    rounds.submission_extend(
        submission=submission,
        user=reviewer,
        due_on=dt.date(2026, 12, 20),
        reason="Sở Tài chính xin gia hạn do sáp nhập",
    )
    submission.refresh_from_db()
    assert submission.due_date == dt.date(2026, 12, 20)
    assert submission.timeliness(dt.date(2026, 12, 15)) == "pending"
    other.refresh_from_db()
    assert other.due_date == dt.date(2026, 12, 10)
    assert other.timeliness(dt.date(2026, 12, 15)) == "missing"
    record = submission.history.order_by("-history_id").first()
    assert record.history_user == reviewer
    assert record.history_change_reason == (
        "due date extended to 20/12/2026: Sở Tài chính xin gia hạn do sáp nhập"
    )
    # Clicking twice records nothing more.
    count = submission.history.count()
    rounds.submission_extend(
        submission=submission,
        user=reviewer,
        due_on=dt.date(2026, 12, 20),
        reason="Sở Tài chính xin gia hạn do sáp nhập",
    )
    assert submission.history.count() == count


def test_a_report_submitted_within_the_extension_is_on_time(round_2026, submission, reviewer, head):
    import time_machine

    rounds.submission_extend(
        submission=submission, user=reviewer, due_on=dt.date(2026, 12, 20), reason="Gia hạn"
    )
    with time_machine.travel(dt.datetime(2026, 12, 18, 9, 0), tick=False):
        fill_submission(submission, head)
        services.submission_submit(submission=submission, user=head)
    submission.refresh_from_db()
    assert submission.timeliness() == "on_time"


@pytest.mark.parametrize(
    ("due_on", "reason", "message"),
    [
        (dt.date(2026, 12, 10), "Gia hạn", "The new due date must be after the round's due date"),
        (dt.date(2026, 12, 20), "  ", "Give the reason for the extension."),
    ],
)
def test_a_bad_extension_is_refused(submission, reviewer, due_on, reason, message):
    with translation.override("en"), pytest.raises(services.WorkflowError, match=message):
        rounds.submission_extend(submission=submission, user=reviewer, due_on=due_on, reason=reason)
    submission.refresh_from_db()
    assert submission.extended_due_on is None


def test_no_extension_once_submitted_or_on_a_closed_round(round_2026, submission, reviewer, head):
    fill_submission(submission, head)
    services.submission_submit(submission=submission, user=head)
    with translation.override("en"), pytest.raises(services.WorkflowError, match="already"):
        rounds.submission_extend(
            submission=submission, user=reviewer, due_on=dt.date(2026, 12, 20), reason="x"
        )
    other = round_2026.submissions.exclude(pk=submission.pk).first()
    rounds.round_close(round_=round_2026, user=reviewer)
    with pytest.raises(services.RoundClosed):
        rounds.submission_extend(
            submission=other, user=reviewer, due_on=dt.date(2026, 12, 20), reason="x"
        )


@pytest.mark.parametrize("who", ["officer", "head", "leader"])
def test_only_the_focal_point_extends(request, submission, who):
    with pytest.raises(PermissionDenied):
        rounds.submission_extend(
            submission=submission,
            user=request.getfixturevalue(who),
            due_on=dt.date(2026, 12, 20),
            reason="x",
        )


def test_the_extension_page_keeps_the_text_on_a_bad_date(client, submission, reviewer):
    client.force_login(reviewer)
    url = reverse("reports:extend", args=[submission.pk])
    response = client.post(url, {"due_on": "31/02/2026", "reason": "Xin gia hạn vì sáp nhập"})
    assert response.status_code == 200
    assert "Xin gia hạn vì sáp nhập" in page_text(response)
    submission.refresh_from_db()
    assert submission.extended_due_on is None
    response = client.post(url, {"due_on": "01/12/2026", "reason": "Xin gia hạn"})
    assert "10/12/2026" in page_text(response)  # "must be after the round's due date (…)"
    response = client.post(url, {"due_on": "20/12/2026", "reason": "Xin gia hạn"}, follow=True)
    assert "20/12/2026" in page_text(response)
    submission.refresh_from_db()
    assert submission.extended_due_on == dt.date(2026, 12, 20)


# --- a closed round takes no more saves ---------------------------------------------------------


def test_access_refuses_edits_on_a_closed_round(submission, officer, head, closed):
    submission.refresh_from_db()
    assert not access.can_edit_submission(officer, submission)
    assert not access.can_submit_submission(head, submission, has_head=True)


def test_officer_save_on_a_closed_round_is_refused_with_a_message(client, submission, officer):
    data = submission_post_data(submission, overall_assessment="Nội dung mới sau khi đóng")
    before = Submission.objects.get(pk=submission.pk)
    round_ = submission.round
    rounds.round_close(round_=round_, user=round_.opened_by)
    client.force_login(officer)
    url = reverse("reports:submission", args=[submission.pk])
    response = client.post(url, data, follow=True)
    assert closed_message(round_) in page_text(response)
    after = Submission.objects.get(pk=submission.pk)
    assert (after.version, after.overall_assessment, after.state) == (
        before.version,
        before.overall_assessment,
        before.state,
    )
    # The page is read-only now, and says why.
    page = client.get(url).content.decode()
    assert 'id="round-closed"' in page
    assert 'name="overall_assessment"' not in page


def test_officer_save_through_the_service_is_refused(submission, officer, closed):
    submission.refresh_from_db()
    with pytest.raises(services.RoundClosed):
        services.submission_save(
            submission=submission,
            user=officer,
            version=submission.version,
            fields={"overall_assessment": "Sau khi đóng"},
            task_rows={},
            target_rows={},
        )
    submission.refresh_from_db()
    assert submission.overall_assessment == "" and submission.version == 0


def test_head_submit_on_a_closed_round_is_refused(client, submission, head, reviewer):
    fill_submission(submission, head)
    data = complete_post_data(submission)
    rounds.round_close(round_=submission.round, user=reviewer)
    client.force_login(head)
    response = client.post(reverse("reports:submission", args=[submission.pk]), data, follow=True)
    assert closed_message(submission.round) in page_text(response)
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT and submission.first_submitted_at is None
    with pytest.raises(services.RoundClosed):
        services.submission_submit(submission=submission, user=head)
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT


def test_evidence_upload_on_a_closed_round_is_refused(client, submission, officer, reviewer):
    rounds.round_close(round_=submission.round, user=reviewer)
    report = submission.task_reports.first()
    data = submission_post_data(submission)
    data[f"task-{report.pk}-evidence"] = SimpleUploadedFile("quyet-dinh.pdf", PDF)
    client.force_login(officer)
    response = client.post(reverse("reports:submission", args=[submission.pk]), data, follow=True)
    assert closed_message(submission.round) in page_text(response)
    assert not Evidence.objects.exists()
    uploads = EvidenceField().clean([SimpleUploadedFile("quyet-dinh.pdf", PDF)])
    with pytest.raises(services.RoundClosed):
        services.submission_save(
            submission=submission,
            user=officer,
            version=0,
            fields={},
            task_rows={},
            target_rows={},
            evidence={report.pk: uploads},
        )
    assert not Evidence.objects.exists()


def test_evidence_delete_on_a_closed_round_is_refused(client, submission, officer, reviewer):
    uploads = EvidenceField().clean([SimpleUploadedFile("quyet-dinh.pdf", PDF)])
    services.submission_save(
        submission=submission,
        user=officer,
        version=0,
        fields={},
        task_rows={},
        target_rows={},
        evidence={submission.task_reports.first().pk: uploads},
    )
    evidence = Evidence.objects.get()
    rounds.round_close(round_=submission.round, user=reviewer)
    client.force_login(officer)
    response = client.post(reverse("reports:evidence_delete", args=[evidence.pk]), follow=True)
    assert closed_message(submission.round) in page_text(response)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert evidence.file.storage.exists(evidence.file.name)
    with pytest.raises(services.RoundClosed):
        services.evidence_delete(evidence=evidence, user=officer)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_contribution_on_a_closed_round_is_refused(
    client, seed_plan, round_2026, other_agency, other_officer, reviewer
):
    task = Task.objects.get(plan=seed_plan, code="IV.2.3")
    task.coordinators.add(other_agency)
    rounds.round_close(round_=round_2026, user=reviewer)
    client.force_login(other_officer)
    response = client.post(
        reverse("reports:contribution", args=[round_2026.pk, task.pk]),
        {"text": "Ý kiến phối hợp sau khi đóng"},
        follow=True,
    )
    assert closed_message(round_2026) in page_text(response)
    assert not Contribution.objects.exists()
    with pytest.raises(services.RoundClosed):
        services.contribution_save(round_=round_2026, task=task, user=other_officer, text="x")
    assert not Contribution.objects.exists()


def test_after_reopening_the_officer_saves_again(client, submission, officer, closed, reviewer):
    rounds.round_reopen(round_=closed, user=reviewer, reason="Cho bổ sung")
    client.force_login(officer)
    data = submission_post_data(submission, overall_assessment="Bổ sung sau khi mở lại")
    response = client.post(reverse("reports:submission", args=[submission.pk]), data, follow=True)
    assert vi("Draft saved.") in page_text(response)
    submission.refresh_from_db()
    assert submission.overall_assessment == "Bổ sung sau khi mở lại"
