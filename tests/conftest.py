"""Shared fixtures: the seed plan and one user per role (healthchecks-style base cast)."""

from __future__ import annotations

import pytest

from accounts.models import User
from plans.models import Agency, Plan
from tasks.interchange import SEED_PLAN_PATH, import_plan, load


@pytest.fixture
def seed_plan(db) -> Plan:
    return import_plan(load(SEED_PLAN_PATH))


def make_user(username: str, role: str, agency: Agency | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password="pw", role=role, agency=agency, **extra
    )
    return user


@pytest.fixture
def agency(seed_plan) -> Agency:
    """Agency A: Sở Tài chính (leads its own task and, since 2025, Sở KH&ĐT's five)."""
    return Agency.objects.get(abbreviation="STC")


@pytest.fixture
def other_agency(seed_plan) -> Agency:
    """Agency B: Sở Khoa học và Công nghệ."""
    return Agency.objects.get(abbreviation="SKHCN")


@pytest.fixture
def officer(agency) -> User:
    return make_user("stc.cv", User.Role.OFFICER, agency)


@pytest.fixture
def head(agency) -> User:
    return make_user("stc.ld", User.Role.HEAD, agency)


@pytest.fixture
def other_officer(other_agency) -> User:
    return make_user("skhcn.cv", User.Role.OFFICER, other_agency)


@pytest.fixture
def reviewer(seed_plan) -> User:
    return make_user("sct", User.Role.REVIEWER, seed_plan.focal_agency)


@pytest.fixture
def leader(seed_plan) -> User:
    return make_user("lanhdao", User.Role.LEADERSHIP)


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", User.Role.ADMIN, is_staff=True, is_superuser=True)


# --- reporting: rounds, submissions and the form payload ----------------------------------------


@pytest.fixture
def before_due():
    """Frozen at 05/12/2026 09:00 (Hà Nội time): five days before the 2026 annual due date."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    moment = dt.datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def round_2026(seed_plan, reviewer):
    from reports import services

    return services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)


@pytest.fixture
def submission(round_2026, agency):
    """Agency A's (STC's) submission in the 2026 annual round: 8 task rows, no target rows."""
    return round_2026.submissions.get(agency=agency)


@pytest.fixture
def media_root(tmp_path, settings):
    """Uploaded files go to a temporary directory, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _date_text(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number_text(value) -> str:
    return format(value.normalize(), "f").replace(".", ",") if value is not None else ""


def submission_post_data(submission, action: str = "save", **overrides) -> dict:
    """The submission form's full POST payload as the page would send it for the saved state.

    Field names follow the form prefixes: `task-<TaskReport.pk>-…` and `target-<TargetReport.pk>-…`;
    pass overrides as `**{"task-12-state": "done"}`.
    """
    submission.refresh_from_db()
    data = {
        "version": str(submission.version),
        "overall_assessment": submission.overall_assessment,
        "difficulties": submission.difficulties,
        "proposals": submission.proposals,
        "document_number": submission.document_number,
        "document_date": _date_text(submission.document_date),
        "action": action,
    }
    for report in submission.task_reports.all():
        key = f"task-{report.pk}-"
        data |= {
            key + "state": report.state,
            key + "progress": "" if report.progress is None else str(report.progress),
            key + "completed_on": _date_text(report.completed_on),
            key + "results": report.results,
            key + "difficulties": report.difficulties,
        }
    for report in submission.target_reports.all():
        key = f"target-{report.pk}-"
        data |= {
            key + "actual": _number_text(report.actual),
            key + "source": report.source,
            key + "note": report.note,
        }
    data.update(overrides)
    return data


def complete_post_data(submission, action: str = "submit", **overrides) -> dict:
    """A payload that answers everything a submission needs (every task in progress at 60%)."""
    data = submission_post_data(submission, action=action)
    for report in submission.task_reports.all():
        key = f"task-{report.pk}-"
        data |= {
            key + "state": "in_progress",
            key + "progress": "60",
            key + "results": f"Kết quả thực hiện nhiệm vụ {report.task.code}",
        }
    for report in submission.target_reports.all():
        data[f"target-{report.pk}-actual"] = "37,4"
        data[f"target-{report.pk}-note"] = "Đánh giá chỉ tiêu"
    data["overall_assessment"] = "Đánh giá chung: cơ bản hoàn thành kế hoạch năm."
    data.update(overrides)
    return data


def fill_submission(submission, user):
    """Save, through the service, every answer a complete submission needs."""
    from decimal import Decimal

    from reports import services

    submission.refresh_from_db()
    return services.submission_save(
        submission=submission,
        user=user,
        version=submission.version,
        fields={"overall_assessment": "Đánh giá chung: cơ bản hoàn thành kế hoạch năm."},
        task_rows={
            r.pk: {"state": "in_progress", "progress": 60, "results": f"Kết quả {r.task.code}"}
            for r in submission.task_reports.all()
        },
        target_rows={
            r.pk: {"actual": Decimal("37.4"), "note": "Đánh giá"}
            for r in submission.target_reports.all()
        },
    )


def submission_form_html(response) -> str:
    """The submission form's own markup (the page chrome has forms of its own, e.g. sign out)."""
    import html
    import re

    content = response.content.decode()
    match = re.search(r'<form[^>]*id="submission-form".*?</form>', content, re.S)
    assert match, "the page has no submission form"
    return html.unescape(match.group(0))


def page_text(response) -> str:
    import html

    return html.unescape(response.content.decode())
