"""A database at the migrations of the previous release moves forward with its data: the inbox,
the consolidated reports and the holiday calendar keep their rows when their models move to
the apps of their own (notifications, annual, workdays)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migration of each app before the apps were split (release of 27/11/2026).
BEFORE_THE_SPLIT = [
    ("accounts", "0001_initial"),
    ("plans", "0001_initial"),
    ("tasks", "0001_initial"),
    ("reports", "0004_history_reason_text"),
    ("reminders", "0002_load_holidays"),
]
AFTER_THE_SPLIT = [
    ("notifications", "0001_initial"),
    ("annual", "0001_initial"),
    ("workdays", "0001_initial"),
]


def _migrate(targets):
    """Migrate the test database to `targets` (backwards and forwards, as `migrate` does) and
    give the historical models there."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets, at_end=True)


@pytest.fixture
def back_to_the_latest():
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_split_keeps_every_row_and_its_permissions(back_to_the_latest):
    old = _migrate(BEFORE_THE_SPLIT)
    Agency = old.apps.get_model("plans", "Agency")
    Plan = old.apps.get_model("plans", "Plan")
    User = old.apps.get_model("accounts", "User")
    Round = old.apps.get_model("reports", "Round")
    Submission = old.apps.get_model("reports", "Submission")
    Notification = old.apps.get_model("reports", "Notification")
    AnnualReport = old.apps.get_model("reports", "AnnualReport")
    ReportSnapshot = old.apps.get_model("reports", "ReportSnapshot")
    Holiday = old.apps.get_model("reminders", "Holiday")

    sct = Agency.objects.create(name="Sở Công Thương", abbreviation="SCT")
    plan = Plan.objects.create(
        code="KH-TEST",
        title="Kế hoạch thử",
        issuer="Ủy ban nhân dân tỉnh Phú Yên",
        focal_agency=sct,
        start_year=2025,
        horizon_year=2030,
    )
    user = User.objects.create(username="sct.cv", email="cv@example.vn", agency=sct)
    round_ = Round.objects.create(
        plan=plan,
        year=2026,
        title="Báo cáo năm 2026",
        period_start=dt.date(2025, 12, 15),
        period_end=dt.date(2026, 12, 14),
        due_on=dt.date(2026, 12, 10),
    )
    submission = Submission.objects.create(round=round_, agency=sct)
    Notification.objects.create(
        user=user,
        submission=submission,
        kind="returned",
        subject="Trả lại",
        body="Sửa mục 2",
        key="1:returned:3:1",
    )
    report = AnnualReport.objects.create(round=round_, number=5, signer_name="Nguyễn Văn A")
    ReportSnapshot.objects.create(report=report, format="pdf", state="done", sha256="ab" * 32)
    Holiday.objects.create(date=dt.date(2031, 9, 2), name="Quốc khánh (thêm tay)")
    holidays_before = Holiday.objects.count()

    new = _migrate(AFTER_THE_SPLIT)
    note = new.apps.get_model("notifications", "Notification").objects.get()
    assert (note.subject, note.body, note.key, note.user.username) == (
        "Trả lại",
        "Sửa mục 2",
        "1:returned:3:1",
        "sct.cv",
    )
    assert note.submission.agency.name == "Sở Công Thương"
    moved_report = new.apps.get_model("annual", "AnnualReport").objects.get()
    assert (moved_report.number, moved_report.signer_name, moved_report.round.year) == (
        5,
        "Nguyễn Văn A",
        2026,
    )
    snapshot = new.apps.get_model("annual", "ReportSnapshot").objects.get()
    assert (snapshot.report_id, snapshot.sha256) == (moved_report.pk, "ab" * 32)
    Holiday = new.apps.get_model("workdays", "Holiday")
    assert Holiday.objects.count() == holidays_before
    assert Holiday.objects.get(date=dt.date(2031, 9, 2)).name == "Quốc khánh (thêm tay)"
    # Permissions hang on content types: those moved with their models, none left behind.
    ContentType = new.apps.get_model("contenttypes", "ContentType")
    labels = set(ContentType.objects.values_list("app_label", "model"))
    assert ("reports", "notification") not in labels
    assert ("reminders", "holiday") not in labels
    assert {("reports", "annualreport"), ("reports", "reportsnapshot")}.isdisjoint(labels)
