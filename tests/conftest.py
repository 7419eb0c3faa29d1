"""Shared fixtures: the seed plan and one user per role (healthchecks-style base cast)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from planning.interchange import SEED_PLAN_PATH, import_plan, load
from plans.models import Agency, Plan
from tests.factories import UserFactory


@pytest.fixture
def seed_plan(db) -> Plan:
    return import_plan(load(SEED_PLAN_PATH))


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
    return UserFactory(username="stc.cv", officer=True, agency=agency)


@pytest.fixture
def head(agency) -> User:
    return UserFactory(username="stc.ld", head=True, agency=agency)


@pytest.fixture
def other_officer(other_agency) -> User:
    return UserFactory(username="skhcn.cv", officer=True, agency=other_agency)


@pytest.fixture
def reviewer(seed_plan) -> User:
    return UserFactory(username="sct", reviewer=True, agency=seed_plan.focal_agency)


@pytest.fixture
def leader(seed_plan) -> User:
    return UserFactory(username="lanhdao", leadership=True)


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(username="admin", admin=True)


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


# --- consolidated annual report (reports/annual) ----------------------------------------------


ANNUAL_TARGETS = {  # year → target code → actual reported (accepted)
    2025: {"CT1": "35.2", "CT1.1": "20.5", "CT2": "28", "CT3": "8.9", "CT3.1": "10.4"},
    2026: {
        "CT1": "36.1",
        "CT1.1": "21.3",
        "CT2": "30.5",
        "CT3": "9.1",
        "CT3.1": "9.2",
        "CT4": "65.4",
    },
}
ANNUAL_TASKS = {  # task code → (state, progress, completed_on), the rest in progress at 60%
    "IV.1.3": ("done", 100, "2022-06-30"),
    "IV.2.2": ("done", 100, "2023-03-01"),
    "IV.4.1": ("in_progress", 50, None),
    "IV.6.2": ("not_started", None, None),
}


def annual_fill(submission, user, *, year: int, accept_by=None):
    """Answer everything in a submission as an agency would, submit it, and accept it."""
    import datetime as dt
    from decimal import Decimal

    from reports import services

    submission.refresh_from_db()
    rows = {}
    for report in submission.task_reports.select_related("task"):
        state, progress, done = ANNUAL_TASKS.get(report.task.code, ("in_progress", 60, None))
        rows[report.pk] = {
            "state": state,
            "progress": progress,
            "completed_on": dt.date.fromisoformat(done) if done else None,
            "results": f"Kết quả nhiệm vụ {report.task.code} năm {year} của {submission.agency}",
            "difficulties": "Thiếu nguồn vốn đối ứng" if report.task.code == "IV.2.3" else "",
        }
    targets = {}
    for report in submission.target_reports.select_related("target"):
        value = ANNUAL_TARGETS[year].get(report.target.code)
        targets[report.pk] = {
            "actual": Decimal(value) if value else None,
            "note": "" if value else "Khu kinh tế Nam Phú Yên thu hút thêm 3 dự án",
        }
    submission = services.submission_save(
        submission=submission,
        user=user,
        version=submission.version,
        fields={
            "overall_assessment": f"{submission.agency} cơ bản hoàn thành nhiệm vụ năm {year}.",
            "difficulties": f"Khó khăn của {submission.agency}: thủ tục đất đai kéo dài.",
            "proposals": f"{submission.agency} đề nghị bổ sung kinh phí khuyến công.",
        },
        task_rows=rows,
        target_rows=targets,
    )
    submission = services.submission_submit(submission=submission, user=user)
    if accept_by:
        submission = services.submission_accept(submission=submission, user=accept_by)
    return submission


def annual_world(plan, reviewer):
    """The seed plan with an accepted 2025 report (SCT, SKHCN) and a 2026 round on the
    20/12/2026 where SCT, STC, SKHCN and SNV reported on time and were accepted, BQLKKT
    reported late (accepted) and SNNMT, SGDĐT and the communes (XAPY) never reported.
    Returns the 2026 round."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from reports import services

    zone = ZoneInfo("Asia/Ho_Chi_Minh")

    def head_of(agency):
        return UserFactory(username=f"annual.{agency.pk}.ld", head=True, agency=agency)

    with time_machine.travel(dt.datetime(2025, 12, 1, 9, tzinfo=zone), tick=False):
        round_2025 = services.round_open(plan=plan, opened_by=reviewer, year=2025)
        for submission in round_2025.submissions.select_related("agency"):
            if submission.agency.abbreviation in ("SCT", "SKHCN"):
                annual_fill(submission, head_of(submission.agency), year=2025, accept_by=reviewer)
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, tzinfo=zone), tick=False):
        round_2026 = services.round_open(plan=plan, opened_by=reviewer, year=2026)
        for submission in round_2026.submissions.select_related("agency"):
            if submission.agency.abbreviation in ("SCT", "STC", "SKHCN", "SNV"):
                annual_fill(submission, head_of(submission.agency), year=2026, accept_by=reviewer)
    with time_machine.travel(dt.datetime(2026, 12, 12, 15, tzinfo=zone), tick=False):
        late = round_2026.submissions.get(agency__abbreviation="BQLKKT")
        annual_fill(late, head_of(late.agency), year=2026, accept_by=reviewer)
    return round_2026


@pytest.fixture
def after_cutoff():
    """Frozen at 20/12/2026 09:00: the 2026 round is past its due date and data cut-off."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    moment = dt.datetime(2026, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def annual_round(seed_plan, reviewer, after_cutoff):
    return annual_world(seed_plan, reviewer)


ANNUAL_TEXT = {
    "number": 5,
    "signer_name": "Nguyễn Văn Hùng",
    "overall_assessment": "Năm 2026, các sở, ngành đã triển khai đồng bộ các nhiệm vụ.",
    "limitations": "Một số nhiệm vụ chậm tiến độ do thiếu nguồn lực.",
    "next_tasks": "Năm 2027, tập trung hoàn thành các nhiệm vụ còn chậm.",
    "proposals": "Đề nghị UBND tỉnh bố trí kinh phí thực hiện các đề án.",
    "filing_division": "QLCN",
}


@pytest.fixture(scope="session")
def annual_built(django_db_setup, django_db_blocker):
    """The seed plan's 2026 report built once as PDF, DOCX and XLSX (data rolled back after),
    with the figures it was built from, for tests that only read the files."""
    import datetime as dt
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    import time_machine
    from django.db import transaction

    from annual.build import build
    from annual.content import gather
    from annual.models import AnnualReport
    from annual.pdf import render_html

    moment = dt.datetime(2026, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with django_db_blocker.unblock(), time_machine.travel(moment, tick=False):
        with transaction.atomic():
            plan = import_plan(load(SEED_PLAN_PATH))
            reviewer = UserFactory(username="annual.sct", reviewer=True, agency=plan.focal_agency)
            round_ = annual_world(plan, reviewer)
            report = AnnualReport.objects.create(
                round=round_, issued_on=dt.date(2026, 12, 20), **ANNUAL_TEXT
            )
            content = gather(report)
            result = SimpleNamespace(
                html=render_html(content),
                pdf=build("pdf", content),
                docx=build("docx", content).data,
                xlsx=build("xlsx", content).data,
                targets={
                    t.target.code: {y: str(v) for y, v in t.figure.actuals.items()}
                    for t in content.targets
                },
                target_names={t.target.code: t.target.name for t in content.targets},
                statuses={row.task.code: row.status_text for row in content.tasks},
                timeliness={line.name: line.timeliness for line in content.agencies},
            )
            transaction.set_rollback(True)
    return result


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def url_objects(round_2026, submission, officer, seed_plan, other_agency):
    """One of everything a URL points at, all belonging to agency A (the permission tables):
    a draft with an evidence file and a signed PDF, a task B coordinates, an inbox entry, a
    history record and a finished consolidated-report PDF."""
    from types import SimpleNamespace

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from annual import services as annual
    from annual.models import ReportSnapshot
    from common.fields import EvidenceField
    from notifications.models import Notification
    from reports import services
    from reports.models import Evidence
    from tasks.models import Task

    task = Task.objects.get(plan=seed_plan, code="IV.2.3")
    task.coordinators.add(other_agency)
    uploads = EvidenceField().clean([SimpleUploadedFile("quyet-dinh.pdf", MINIMAL_PDF)])
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=0,
        fields={"overall_assessment": "Bản nháp"},
        task_rows={},
        target_rows={},
        evidence={submission.task_reports.first().pk: uploads},
    )
    submission.document_file.save("bao-cao.pdf", ContentFile(MINIMAL_PDF))
    note = Notification.objects.create(
        user=officer,
        submission=submission,
        kind="returned",
        subject="Báo cáo bị trả lại",
        body="Bổ sung số liệu",
        url=reverse("reports:submission", args=[submission.pk]),
    )
    snapshot = ReportSnapshot.objects.create(
        report=annual.report_get_or_create(round_=round_2026),
        format="pdf",
        state=ReportSnapshot.State.DONE,
        size=len(MINIMAL_PDF),
    )
    snapshot.file.save("bao-cao-tong-hop.pdf", ContentFile(MINIMAL_PDF))
    from organisation.models import Reorganisation

    reorganisation = Reorganisation.objects.create(
        kind=Reorganisation.Kind.MOVE, effective_on=dt.date(2025, 7, 1), recorded_by=officer
    )
    return SimpleNamespace(
        reorganisation=reorganisation,
        round=round_2026,
        submission=submission,
        task=task,
        note=note,
        evidence=Evidence.objects.get(),
        record=submission.history.order_by("history_id").first(),
        snapshot=snapshot,
    )


# --- single sign-on: a real OpenID provider (tests/oidc_provider) --------------------------------


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """django-oidc-provider running on 127.0.0.1 for the whole session, the live server
    registered as its client."""
    from tests.oidc_provider.provider import running_provider

    with running_provider(tmp_path_factory.mktemp("oidc-provider"), live_server.url) as provider:
        yield provider


def configure_sso(settings, environ: dict[str, str]) -> None:
    """Apply the settings the SSO variables `environ` give (config/settings/base.py)."""
    from accounts import oidc
    from config.settings.base import oidc_settings

    derived = oidc_settings(
        environ,
        backends=settings.AUTHENTICATION_BACKENDS,
        csp=settings.CONTENT_SECURITY_POLICY,
    )
    for name, value in derived.items():
        setattr(settings, name, value)
    oidc._discovered.clear()


@pytest.fixture
def sso(settings, oidc_provider):
    """The portal (and its live server) configured for the test provider."""
    from accounts import oidc

    configure_sso(settings, oidc_provider.environ())
    yield oidc_provider
    oidc._discovered.clear()
