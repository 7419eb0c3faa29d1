"""A province's consolidated report, sent up as its submission in the ministry's round
(annual/cascade.py): the same review, history and refusals as any report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annual import services as annual
from annual.models import ReportSnapshot
from demo.national import demo_national
from planning.interchange import SEED_PLAN_PATH, import_plan, load
from reports import rounds, services
from reports.models import Submission
from tasks.models import Task
from tests.conftest import MINIMAL_PDF
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("before_due", "media_root")


@pytest.fixture
def seed(db):
    plan = import_plan(load(SEED_PLAN_PATH))
    demo_national(plan, "pw")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def province_reviewer(seed):
    return UserFactory(username="sct.dl", reviewer=True, agency=seed.focal_agency)


@pytest.fixture
def ministry():
    return User.objects.get(username="bocongthuong")


@pytest.fixture
def national_round(seed, ministry):
    return services.round_open(plan=seed.higher_plan, opened_by=ministry, year=2026)


@pytest.fixture
def province_round(seed, province_reviewer):
    """The province's 2026 round with the report of IV.1.1's lead accepted, all done."""
    round_ = services.round_open(plan=seed, opened_by=province_reviewer, year=2026)
    lead = Task.objects.get(plan=seed, code="IV.1.1").answering_agencies(dt.date(2026, 12, 5))[0]
    submission = Submission.objects.get(round=round_, agency=lead)
    officer = UserFactory(username="lead.cv", officer=True, agency=lead)
    rows = {
        r.pk: {
            "state": "done",
            "completed_on": dt.date(2026, 6, 30),
            "results": f"Đã ban hành văn bản cho {r.task.code}",
        }
        for r in submission.task_reports.select_related("task")
    }
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Hoàn thành."},
        task_rows=rows,
        target_rows={
            r.pk: {"note": "Cục Thống kê chưa công bố"} for r in submission.target_reports.all()
        },
    )
    submission = services.submission_submit(submission=submission, user=officer)
    services.submission_accept(submission=submission, user=province_reviewer)
    return round_


@pytest.fixture
def consolidated(province_round):
    report = annual.report_get_or_create(round_=province_round)
    report.overall_assessment = "Tỉnh Đắk Lắk triển khai đạt yêu cầu."
    report.save()
    snapshot = ReportSnapshot.objects.create(
        report=report, format="pdf", state=ReportSnapshot.State.DONE, size=len(MINIMAL_PDF)
    )
    snapshot.file.save("bao-cao-tong-hop.pdf", ContentFile(MINIMAL_PDF))
    return report


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_province_sends_its_report_up_and_the_ministry_accepts_it(
    consolidated, national_round, province_reviewer, ministry
):
    response = _client(province_reviewer).post(
        reverse("annual:send_up", args=[consolidated.round.pk])
    )
    sent = Submission.objects.get(round=national_round, agency__abbreviation="UBNDĐL")
    assert response.status_code == 302
    assert response.url == reverse("reports:submission", args=[sent.pk])
    assert sent.state == Submission.State.SUBMITTED
    assert sent.overall_assessment == "Tỉnh Đắk Lắk triển khai đạt yêu cầu."
    assert sent.document_file.read() == MINIMAL_PDF
    row = sent.task_reports.get(task__code="II.1")
    assert "IV.1.1" in row.results and "Đã ban hành văn bản cho IV.1.1" in row.results
    assert row.state in ("in_progress", "done")
    untouched = sent.task_reports.get(task__code="II.4")  # its lower tasks not accepted yet
    assert untouched.state == "not_started" and untouched.difficulties
    # the ministry reviews it with the ordinary review page and accepts it
    assert _client(ministry).get(reverse("reports:review", args=[sent.pk])).status_code == 200
    services.submission_accept(submission=sent, user=ministry)
    assert Submission.objects.get(pk=sent.pk).state == Submission.State.ACCEPTED
    assert sent.history.count() >= 3  # saved, submitted, accepted: the usual history


def test_a_returned_report_is_sent_again(consolidated, national_round, province_reviewer, ministry):
    from annual.cascade import report_send_up

    sent = report_send_up(report=consolidated, user=province_reviewer)
    services.submission_return(submission=sent, user=ministry, comment="Bổ sung số liệu")
    again = report_send_up(report=consolidated, user=province_reviewer)
    assert again.pk == sent.pk
    assert again.state == Submission.State.RESUBMITTED


def test_it_is_refused_once_sent_and_without_an_open_higher_round(
    consolidated, national_round, province_reviewer, ministry
):
    client = _client(province_reviewer)
    url = reverse("annual:send_up", args=[consolidated.round.pk])
    client.post(url)
    again = client.post(url, follow=True)
    assert "đã được gửi" in again.content.decode() or "already been sent" in again.content.decode()
    rounds.round_close(round_=national_round, user=ministry)
    closed = client.post(url, follow=True).content.decode()
    assert "không có kỳ báo cáo nào đang mở" in closed or "has no open round" in closed


def test_the_ministry_or_another_agency_cannot_send_a_provinces_report(
    consolidated, national_round, ministry
):
    officer = UserFactory(
        username="x.cv", officer=True, agency=consolidated.round.plan.focal_agency
    )
    for user in (ministry, officer):
        response = _client(user).post(reverse("annual:send_up", args=[consolidated.round.pk]))
        assert response.status_code == 403
    sent = Submission.objects.get(round=national_round, agency__abbreviation="UBNDĐL")
    assert sent.state == Submission.State.NOT_STARTED
