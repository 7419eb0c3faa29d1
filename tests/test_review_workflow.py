"""Review by the focal point: every transition, who may make it, and every refusal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from notifications.models import Notification
from reports import services
from reports.models import Submission
from reports.review import changes_since_return, word_diff


@pytest.fixture
def round_2026(seed_plan, reviewer):
    return services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)


@pytest.fixture
def filled(round_2026, agency, officer, head):
    """STC's report, complete and submitted by its head."""
    submission = Submission.objects.get(round=round_2026, agency=agency)
    rows = {
        r.pk: {"state": "in_progress", "progress": 50, "results": f"Kết quả {r.task.code}"}
        for r in submission.task_reports.select_related("task")
    }
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Đánh giá chung: đạt yêu cầu."},
        task_rows=rows,
        target_rows={},
    )
    return services.submission_submit(submission=submission, user=head)


def _state(submission):
    return Submission.objects.get(pk=submission.pk).state


def test_reviewer_accepts_and_the_report_is_locked(filled, reviewer, officer):
    services.submission_accept(submission=filled, user=reviewer)
    assert _state(filled) == "accepted"
    with pytest.raises(services.NotEditable):
        services.submission_save(
            submission=filled,
            user=officer,
            version=Submission.objects.get(pk=filled.pk).version,
            fields={"overall_assessment": "changed"},
            task_rows={},
            target_rows={},
        )


def test_a_department_cannot_accept_or_return_its_own_report(filled, head):
    with pytest.raises(PermissionDenied):
        services.submission_accept(submission=filled, user=head)
    with pytest.raises(PermissionDenied):
        services.submission_return(submission=filled, user=head, comment="x")
    assert _state(filled) == "submitted"


def test_return_needs_a_comment_and_changes_nothing_without_one(filled, reviewer):
    before = Submission.objects.get(pk=filled.pk)
    with pytest.raises(services.WorkflowError):
        services.submission_return(submission=filled, user=reviewer, comment="   ")
    after = Submission.objects.get(pk=filled.pk)
    assert (after.state, after.version, after.return_comment) == (
        before.state,
        before.version,
        before.return_comment,
    )


def test_cannot_accept_a_draft_or_reopen_a_submitted_report(round_2026, filled, reviewer):
    draft = Submission.objects.exclude(pk=filled.pk).filter(round=round_2026).first()
    with pytest.raises(services.WorkflowError):
        services.submission_accept(submission=draft, user=reviewer)
    with pytest.raises(services.WorkflowError):
        services.submission_reopen(submission=filled, user=reviewer, reason="why")


def test_return_resubmit_shows_the_diff_then_accept(filled, reviewer, officer, head):
    report = filled.task_reports.first()
    services.submission_return(
        submission=filled,
        user=reviewer,
        comment="Bổ sung số liệu.",
        task_comments={report.pk: "Thiếu số liệu"},
    )
    returned = Submission.objects.get(pk=filled.pk)
    assert returned.state == "returned" and returned.resubmit_due_on is not None
    report.refresh_from_db()
    assert report.review_comment == "Thiếu số liệu"

    services.submission_save(
        submission=returned,
        user=officer,
        version=returned.version,
        fields={},
        task_rows={report.pk: {"results": "Kết quả mới: đào tạo 1.200 lao động"}},
        target_rows={},
    )
    resubmitted = services.submission_submit(submission=returned, user=head)
    assert resubmitted.state == "resubmitted"
    changes = changes_since_return(Submission.objects.get(pk=filled.pk))
    assert [(c.old, c.new) for c in changes] == [
        (f"Kết quả {report.task.code}", "Kết quả mới: đào tạo 1.200 lao động")
    ]
    assert report.task.code in changes[0].where

    services.submission_accept(submission=resubmitted, user=reviewer)
    assert _state(filled) == "accepted"


def test_only_the_focal_point_reopens_an_accepted_report_with_a_reason(filled, reviewer, head):
    services.submission_accept(submission=filled, user=reviewer)
    with pytest.raises(PermissionDenied):
        services.submission_reopen(submission=filled, user=head, reason="x")
    with pytest.raises(services.WorkflowError):
        services.submission_reopen(submission=filled, user=reviewer, reason="")
    assert _state(filled) == "accepted"
    services.submission_reopen(submission=filled, user=reviewer, reason="Sai số liệu CT1")
    reopened = Submission.objects.get(pk=filled.pk)
    assert reopened.state == "returned" and reopened.return_comment == "Sai số liệu CT1"


def test_history_keeps_every_state_change_with_who_and_why(filled, reviewer):
    services.submission_return(submission=filled, user=reviewer, comment="Bổ sung")
    records = list(Submission.objects.get(pk=filled.pk).history.order_by("history_date"))
    assert [r.state for r in records][-2:] == ["submitted", "returned"]
    assert records[-1].history_user == reviewer
    assert records[-1].history_change_reason == "Bổ sung"


def test_notifications_go_out_after_commit_once(
    filled, reviewer, officer, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=filled, user=reviewer, comment="Bổ sung số liệu")
    notes = Notification.objects.filter(submission=filled, kind="returned")
    assert {n.user for n in notes} == {officer, head}
    assert all("trả lại" in m.subject for m in mail.outbox)
    # the task is safe to run twice: a retried delivery notifies nobody again
    from notifications.services import notifications_send

    version = Submission.objects.get(pk=filled.pk).version
    assert notifications_send(submission_id=filled.pk, event="returned", version=version) == 0
    assert notes.count() == 2


def test_submission_notifies_the_focal_point(
    round_2026, agency, officer, head, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "sct@example.gov.vn"
    reviewer.save()
    submission = Submission.objects.get(round=round_2026, agency=agency)
    rows = {
        r.pk: {"state": "not_started", "results": "Chưa triển khai do thiếu kinh phí"}
        for r in submission.task_reports.all()
    }
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "OK"},
        task_rows=rows,
        target_rows={},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(submission=submission, user=head)
    assert Notification.objects.filter(user=reviewer, kind="submitted").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sct@example.gov.vn"]
    assert agency.name in message.subject
    assert message.alternatives and "text/html" in message.alternatives[0][1]


def test_word_diff_marks_removed_and_added_words():
    html = word_diff("đào tạo 100 lao động", "đào tạo 1.200 lao động <b>")
    assert "<del>100</del>" in html and "<ins>1.200" in html and "&lt;b&gt;" in html


@pytest.mark.parametrize(
    "role,status",
    [
        ("reviewer", 200),
        ("leader", 200),
        ("admin_user", 200),
        ("officer", 403),
        ("other_officer", 404),
    ],
)
def test_review_page_permissions(client, request, filled, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reports:review", args=[filled.pk])).status_code == status


@pytest.mark.parametrize("name", ["reports:accept", "reports:return", "reports:reopen"])
@pytest.mark.parametrize("role", ["officer", "head", "leader"])
def test_only_the_focal_point_posts_review_steps(client, request, filled, name, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse(name, args=[filled.pk]), {"comment": "x", "reason": "x"})
    assert response.status_code in (403, 404)
    assert _state(filled) == "submitted"


def test_review_views_accept_and_return(client, filled, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("reports:return", args=[filled.pk]), {"comment": ""})
    assert response.status_code == 302 and _state(filled) == "submitted"
    client.post(reverse("reports:return", args=[filled.pk]), {"comment": "Bổ sung"})
    assert _state(filled) == "returned"


def test_history_and_versions_are_readable_by_the_agency(client, filled, officer):
    client.force_login(officer)
    page = client.get(reverse("reports:history", args=[filled.pk]))
    assert page.status_code == 200
    record = filled.history.order_by("history_date").first()
    version = client.get(reverse("reports:version", args=[filled.pk, record.history_id]))
    assert version.status_code == 200


def test_inbox_counts_unread_and_opening_marks_read(client, filled, officer, reviewer):
    services.submission_return(submission=filled, user=reviewer, comment="Bổ sung")
    from notifications.services import notifications_send

    notifications_send(
        submission_id=filled.pk,
        event="returned",
        version=Submission.objects.get(pk=filled.pk).version,
    )
    client.force_login(officer)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'id="unread-count">1<' in page
    note = Notification.objects.get(user=officer)
    response = client.post(reverse("notifications:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response.url == note.url
    note.refresh_from_db()
    assert note.read_at is not None


def test_round_board_filters_and_exports_xlsx(client, filled, reviewer, round_2026):
    import io

    from openpyxl import load_workbook

    client.force_login(reviewer)
    url = reverse("reports:round", args=[round_2026.pk])
    page = client.get(url, {"state": "submitted"}).content.decode()
    assert filled.agency.name in page and "Sở Khoa học và Công nghệ" not in page
    export = client.get(reverse("reports:round_export", args=[round_2026.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    agencies = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert sorted(agencies) == sorted(s.agency.name for s in round_2026.submissions.all())


@pytest.mark.parametrize("role,status", [("officer", 403), ("leader", 200), ("reviewer", 200)])
def test_round_export_permissions(client, request, round_2026, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("reports:round_export", args=[round_2026.pk]))
    assert response.status_code == status


def test_round_board_shows_the_reminders_sent(client, reviewer, round_2026, agency):
    import datetime as dt

    from django.utils import timezone

    from reminders.models import SentReminder

    submission = Submission.objects.get(round=round_2026, agency=agency)
    common = {"submission": submission, "kind": "round", "deadline": round_2026.due_on}
    SentReminder.objects.create(
        **common,
        step="before-7",
        scheduled_for=dt.date(2026, 12, 3),
        status="sent",
        sent_at=timezone.now(),
    )
    SentReminder.objects.create(
        **common, step="before-3", scheduled_for=dt.date(2026, 12, 7), status="skipped"
    )
    client.force_login(reviewer)
    response = client.get(reverse("reports:round", args=[round_2026.pk]))
    row = next(s for s in response.context["submissions"] if s.pk == submission.pk)
    assert row.reminders_sent == 1
    others = [s.reminders_sent for s in response.context["submissions"] if s.pk != submission.pk]
    assert set(others) == {0}


def test_admin_edits_a_rounds_reminder_cadence_and_refuses_nonsense(client, admin_user, round_2026):
    from reports.admin import RoundAdminForm

    data = {
        "plan": round_2026.plan_id,
        "kind": "annual",
        "year": 2026,
        "title": round_2026.title,
        "period_start": "2025-12-15",
        "period_end": "2026-12-14",
        "due_on": "2026-12-10",
        "reminder_days_before": "[10, 2]",
        "reminder_days_after": "[1, -3]",
    }
    form = RoundAdminForm(data, instance=round_2026)
    assert not form.is_valid() and "reminder_days_after" in form.errors
    data["reminder_days_after"] = "[2]"
    form = RoundAdminForm(data, instance=round_2026)
    assert form.is_valid(), form.errors
    form.save()
    round_2026.refresh_from_db()
    assert (round_2026.reminder_days_before, round_2026.reminder_days_after) == ([10, 2], [2])
    client.force_login(admin_user)
    assert (
        client.get(reverse("admin:reports_round_change", args=[round_2026.pk])).status_code == 200
    )
