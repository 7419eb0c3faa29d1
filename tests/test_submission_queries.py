"""The submission page runs the same number of SQL queries whatever the size of the report."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.fields import EvidenceField
from plans.models import Target
from reports import services
from reports.models import Contribution, Round, Submission, TargetReport
from tasks.models import Task

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TIMEFRAMES = ["Năm 2021", "Thường xuyên", "Từ năm 2021", "Từ năm 2021-2022", ""]


@pytest.fixture
def extra_tasks(seed_plan, agency, other_agency) -> list[Task]:
    """Fifty more tasks for agency A in section IV, with every kind of timeframe."""
    section = seed_plan.sections.get(code="IV")
    tasks = []
    for n in range(50):
        task = Task.objects.create(
            plan=seed_plan,
            section=section,
            code=f"IV.99.{n + 1}",
            lead=agency,
            content=f"Nhiệm vụ bổ sung số {n + 1}",
            timeframe_text=TIMEFRAMES[n % len(TIMEFRAMES)],
            position=1000 + n,
        )
        task.coordinators.add(other_agency)
        tasks.append(task)
    return tasks


def open_submission(seed_plan, reviewer, agency, tasks, due: dt.date) -> Submission:
    round_ = services.round_open(
        plan=seed_plan,
        opened_by=reviewer,
        kind=Round.Kind.AD_HOC,
        year=2026,
        due_on=due,
        scope=tasks,
    )
    return round_.submissions.get(agency=agency)


def fill(submission: Submission, user, *, files_per_row: int, targets: list[Target]) -> None:
    """Answer every row, attach files, add target rows and coordinators' contributions."""
    for position, target in enumerate(targets):
        TargetReport.objects.create(
            submission=submission, target=target, position=position, note="Đánh giá"
        )
    rows = list(submission.task_reports.all())
    for report in rows:
        Contribution.objects.create(
            round=submission.round,
            task=report.task,
            agency=Task.objects.get(pk=report.task_id).coordinators.get(),
            text="Ý kiến phối hợp",
            updated_by=user,
        )
    uploads = {
        report.pk: EvidenceField().clean(
            [SimpleUploadedFile(f"{report.pk}-{n}.pdf", PDF) for n in range(files_per_row)]
        )
        for report in rows
    }
    submission.refresh_from_db()
    services.submission_save(
        submission=submission,
        user=user,
        version=submission.version,
        fields={"overall_assessment": "Đánh giá chung"},
        task_rows={r.pk: {"state": "in_progress", "progress": 50, "results": "KQ"} for r in rows},
        target_rows={},
        evidence=uploads,
    )


def count_queries(client, submission) -> int:
    url = reverse("reports:submission", args=[submission.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def small_and_large(seed_plan, reviewer, agency, officer, extra_tasks):
    small = open_submission(seed_plan, reviewer, agency, extra_tasks[:5], dt.date(2026, 12, 20))
    large = open_submission(seed_plan, reviewer, agency, extra_tasks, dt.date(2026, 12, 21))
    assert (small.task_reports.count(), large.task_reports.count()) == (5, 50)
    return small, large


@pytest.mark.parametrize("role", ["officer", "reviewer"])
def test_same_query_count_for_5_and_50_task_rows(client, request, small_and_large, role):
    small, large = small_and_large
    client.force_login(request.getfixturevalue(role))
    count_queries(client, small)  # warm the per-process caches (content types, session)
    assert count_queries(client, small) == count_queries(client, large)


def test_same_query_count_for_answered_rows_with_files_targets_and_contributions(
    client, officer, seed_plan, small_and_large
):
    small, large = small_and_large
    # CT1 and its "of which" child CT1.1 against all seven targets: both sides have a parent to
    # prefetch, so only the sizes differ.
    targets = list(Target.objects.filter(plan=seed_plan).order_by("position"))
    assert [t.code for t in targets[:2]] == ["CT1", "CT1.1"]
    fill(small, officer, files_per_row=1, targets=targets[:2])
    fill(large, officer, files_per_row=3, targets=targets)
    assert large.evidence.count() == 150 and large.target_reports.count() == 7
    client.force_login(officer)
    count_queries(client, small)
    assert count_queries(client, small) == count_queries(client, large)


def test_same_query_count_once_submitted(client, officer, head, seed_plan, small_and_large):
    small, large = small_and_large
    targets = list(Target.objects.filter(plan=seed_plan).order_by("position"))
    for submission, files, chosen in [(small, 1, targets[:2]), (large, 2, targets)]:
        fill(submission, officer, files_per_row=files, targets=chosen)
        services.submission_submit(submission=submission, user=head)
    client.force_login(officer)
    count_queries(client, small)
    assert count_queries(client, small) == count_queries(client, large)
