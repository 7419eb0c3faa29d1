"""Task.status_on: the status derived from timeframe, reported progress and completion date."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import Plan
from reports import services
from tasks.models import Task, TaskStatus
from tests.conftest import fill_submission, page_text

S = TaskStatus

YEAR = "Năm 2021"  # due 31/12/2021
RANGE = "Từ năm 2021-2022"  # due 31/12/2022
ONGOING = "Thường xuyên"
FROM_YEAR = "Từ năm 2021"
DEPENDENT = "Theo tiến độ thực hiện của Quy hoạch tỉnh Phú Yên thời kỳ 2021-2030"
UNSPECIFIED = ""  # the plan's horizon: 31/12/2030


@dataclass
class Report:
    """What a progress report offers (tasks.models.Progress); TaskReport has the same shape."""

    state: str
    completed_on: dt.date | None = None
    year: int = 2026


def d(text: str) -> dt.date:
    day, month, year = map(int, text.split("/"))
    return dt.date(year, month, day)


def task(timeframe: str) -> Task:
    plan = Plan(horizon_year=2030, start_year=2021)
    result = Task(plan=plan, code="T", content="Nhiệm vụ")
    result.set_timeframe(timeframe)
    return result


CASES = [
    # deadline tasks: done before / on / after the due date
    (YEAR, "15/01/2022", Report("done", d("20/11/2021"), 2021), S.DONE_ON_TIME),
    (YEAR, "15/01/2022", Report("done", d("31/12/2021"), 2021), S.DONE_ON_TIME),
    (YEAR, "01/12/2022", Report("done", d("01/03/2022"), 2022), S.DONE_LATE),
    (RANGE, "05/12/2026", Report("done", d("30/06/2022"), 2022), S.DONE_ON_TIME),
    (RANGE, "05/12/2026", Report("done", d("02/01/2023"), 2023), S.DONE_LATE),
    # not done, deadline still ahead
    (YEAR, "30/06/2021", Report("in_progress", year=2021), S.IN_PROGRESS),
    (YEAR, "31/12/2021", Report("in_progress", year=2021), S.IN_PROGRESS),
    (YEAR, "30/06/2021", Report("not_started", year=2021), S.NOT_STARTED),
    (YEAR, "30/06/2021", None, S.NOT_STARTED),
    (RANGE, "31/12/2022", Report("in_progress", year=2022), S.IN_PROGRESS),
    # not done, deadline passed
    (YEAR, "01/01/2022", Report("in_progress", year=2021), S.OVERDUE),
    (YEAR, "05/12/2026", Report("not_started", year=2026), S.OVERDUE),
    (YEAR, "05/12/2026", None, S.OVERDUE),
    (RANGE, "01/01/2023", Report("in_progress", year=2022), S.OVERDUE),
    # ongoing, "from year X" and dependent tasks are judged per year
    (ONGOING, "05/12/2026", Report("in_progress", year=2026), S.ONGOING),
    (ONGOING, "05/12/2026", Report("not_started", year=2026), S.NOT_STARTED),
    (ONGOING, "05/12/2026", Report("done", d("01/11/2026"), 2026), S.DONE_ON_TIME),
    (ONGOING, "05/12/2026", None, S.NOT_REPORTED),
    (ONGOING, "05/12/2026", Report("in_progress", year=2025), S.NOT_REPORTED),
    (FROM_YEAR, "05/12/2026", Report("in_progress", year=2026), S.ONGOING),
    (FROM_YEAR, "05/12/2026", Report("in_progress", year=2024), S.NOT_REPORTED),
    (FROM_YEAR, "05/12/2026", None, S.NOT_REPORTED),
    (DEPENDENT, "05/12/2026", Report("in_progress", year=2026), S.ONGOING),
    (DEPENDENT, "05/12/2026", Report("not_started", year=2026), S.NOT_STARTED),
    (DEPENDENT, "05/12/2026", Report("in_progress", year=2023), S.NOT_REPORTED),
    (DEPENDENT, "05/12/2026", None, S.NOT_REPORTED),
    # no timeframe stated: the plan's horizon, 31/12/2030
    (UNSPECIFIED, "05/12/2026", Report("in_progress", year=2026), S.IN_PROGRESS),
    (UNSPECIFIED, "05/12/2026", None, S.NOT_STARTED),
    (UNSPECIFIED, "31/12/2030", Report("in_progress", year=2030), S.IN_PROGRESS),
    (UNSPECIFIED, "01/01/2031", Report("in_progress", year=2030), S.OVERDUE),
    (UNSPECIFIED, "01/01/2031", Report("done", d("31/12/2030"), 2030), S.DONE_ON_TIME),
    (UNSPECIFIED, "05/03/2031", Report("done", d("01/02/2031"), 2031), S.DONE_LATE),
]


@pytest.mark.parametrize("timeframe,as_of,report,expected", CASES)
def test_status_on(timeframe, as_of, report, expected):
    assert task(timeframe).status_on(d(as_of), report) == expected


def test_unspecified_timeframe_is_due_at_the_plan_horizon():
    assert task(UNSPECIFIED).due_date == dt.date(2030, 12, 31)
    assert task(ONGOING).due_date is None
    assert task(YEAR).due_date == dt.date(2021, 12, 31)


def test_seed_task_with_no_timeframe_runs_to_the_seed_plan_horizon(seed_plan):
    unspecified = Task.objects.get(plan=seed_plan, code="IV.3.1")
    assert unspecified.due_date == dt.date(2030, 12, 31)
    assert unspecified.status_on(dt.date(2031, 1, 1), Report("in_progress", year=2030)) == (
        S.OVERDUE
    )


# --- the status on the pages --------------------------------------------------------------------


def statuses(page: str, pattern: str) -> dict[str, tuple[str, str]]:
    """{task code: (badge class, label)} read from a page."""
    return {
        code: (css, label.strip())
        for code, css, label in re.findall(
            pattern + r'.*?<span class="badge status-([a-z-]+)">([^<]*)</span>', page, re.S
        )
    }


def home_statuses(page: str):
    return statuses(page, r'<td class="text-nowrap">(IV\.[\d.]+)</td>')


def submission_statuses(page: str):
    return statuses(page, r'<article class="card mb-3 task-card" id="task-(IV\.[\d.]+)"')


def shown(status: TaskStatus) -> tuple[str, str]:
    with translation.override("vi"):
        return status.value.replace("_", "-"), str(status.label)


@pytest.mark.usefixtures("before_due")
def test_home_page_shows_each_task_status(client, officer, seed_plan):
    client.force_login(officer)
    found = home_statuses(page_text(client.get(reverse("home"))))
    assert set(found) == {
        "IV.2.1",
        "IV.2.2",
        "IV.2.3",
        "IV.2.4",
        "IV.2.5",
        "IV.3.1",
        "IV.12.1",
        "IV.12.2",
    }
    assert found["IV.2.2"] == shown(S.OVERDUE)  # "Năm 2021", never reported
    assert found["IV.2.3"] == shown(S.NOT_REPORTED)  # ongoing, no 2026 report
    assert found["IV.2.1"] == shown(S.NOT_REPORTED)  # follows another plan
    assert found["IV.3.1"] == shown(S.NOT_STARTED)  # horizon 2030


@pytest.mark.usefixtures("before_due")
def test_home_page_status_follows_the_submitted_report(client, officer, head, submission):
    submission = fill_submission(submission, officer)
    planning = submission.task_reports.get(task__code="IV.2.2")
    services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={},
        task_rows={planning.pk: {"state": "done", "completed_on": dt.date(2021, 11, 20)}},
        target_rows={},
    )
    services.submission_submit(submission=submission, user=head)
    client.force_login(officer)
    found = home_statuses(page_text(client.get(reverse("home"))))
    assert found["IV.2.2"] == shown(S.DONE_ON_TIME)
    assert found["IV.2.3"] == shown(S.ONGOING)
    assert found["IV.3.1"] == shown(S.IN_PROGRESS)


@pytest.mark.usefixtures("before_due")
def test_submission_page_shows_each_task_status(client, officer, submission):
    client.force_login(officer)
    url = reverse("reports:submission", args=[submission.pk])
    found = submission_statuses(page_text(client.get(url)))
    assert len(found) == 8
    assert found["IV.2.2"] == shown(S.OVERDUE)
    assert found["IV.2.3"] == shown(S.NOT_REPORTED)
    assert found["IV.12.1"] == shown(S.NOT_STARTED)

    rows = {r.task.code: r for r in submission.task_reports.select_related("task")}
    services.submission_save(
        submission=submission,
        user=officer,
        version=0,
        fields={},
        task_rows={
            rows["IV.2.2"].pk: {"state": "done", "completed_on": dt.date(2022, 2, 1)},
            rows["IV.2.3"].pk: {"state": "in_progress"},
            rows["IV.12.1"].pk: {"state": "in_progress", "progress": 30},
        },
        target_rows={},
    )
    found = submission_statuses(page_text(client.get(url)))
    assert found["IV.2.2"] == shown(S.DONE_LATE)
    assert found["IV.2.3"] == shown(S.ONGOING)
    assert found["IV.12.1"] == shown(S.IN_PROGRESS)
