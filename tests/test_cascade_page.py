"""Cascading plans, the higher plan's page: for each of its tasks, every lower plan's task that
implements it (plan, province, lead, combined status), in a fixed number of queries; a lower
task's row on its plan's page links to the task it implements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from provinces.models import Province
from reports import selectors
from tasks.models import Task, TaskStatus
from tests.conftest import page_text
from tests.factories import (
    AgencyFactory,
    PlanFactory,
    SubmissionFactory,
    TaskFactory,
    TaskReportFactory,
)

pytestmark = pytest.mark.usefixtures("before_due")

TODAY = dt.date(2026, 12, 5)


def _lower_plans(higher_task: Task, count: int) -> list[Task]:
    """`count` provincial plans implementing the seed plan, each with one task implementing
    `higher_task`, led by a department of its province."""
    lower_tasks = []
    for n in range(count):
        province = Province.objects.create(name=f"Tỉnh thử {n}", code=f"tinh-thu-{n}")
        lead = AgencyFactory(
            name=f"Sở Công Thương tỉnh {n}", abbreviation=f"SCT{n}", province=province
        )
        plan = PlanFactory(
            code=f"ke-hoach-tinh-{n}",
            province=province,
            higher_plan=higher_task.plan,
            focal_agency=lead,
        )
        lower_tasks.append(
            TaskFactory(plan=plan, code=f"{n + 1}.1", lead=lead, higher_task=higher_task)
        )
    return lower_tasks


@pytest.fixture
def higher_task(seed_plan) -> Task:
    return seed_plan.tasks.get(code="IV.1.1")


def test_each_higher_task_lists_the_lower_tasks_with_their_status(higher_task):
    done, not_reported = _lower_plans(higher_task, 2)
    TaskReportFactory(
        submission=SubmissionFactory(
            round__plan=done.plan,
            agency=done.lead,
            state="accepted",
            submitted_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        ),
        task=done,
        state="done",
        progress=100,
        completed_on=dt.date(2026, 11, 1),
    )
    rows = dict(selectors.lower_tasks_by_higher(higher_task.plan, as_of=TODAY))
    lower = rows[higher_task]
    assert [(row.task, row.status) for row in lower] == [
        (done, TaskStatus.DONE_ON_TIME),
        (not_reported, done.status_from_reports(TODAY, [])),
    ]
    others = [task for task in rows if task != higher_task]
    assert others and all(rows[task] == [] for task in others)


def test_the_page_shows_plan_province_lead_and_status(client, reviewer, higher_task):
    (lower,) = _lower_plans(higher_task, 1)
    client.force_login(reviewer)
    response = client.get(reverse("reports:plan_cascade", args=[higher_task.plan_id]))
    assert response.status_code == 200
    text = page_text(response)
    assert "Tỉnh thử 0" in text
    assert "Sở Công Thương tỉnh 0" in text
    assert lower.plan.number in text
    assert reverse("plans:detail", args=[lower.plan_id]) + f"#task-{lower.code}" in text
    expected = str(lower.status_from_reports(TODAY, []).label)
    assert expected in text


@pytest.mark.parametrize("count", [1, 3])
def test_the_selector_reads_in_four_queries_whatever_the_number_of_lower_plans(
    higher_task, count, django_assert_num_queries
):
    _lower_plans(higher_task, count)
    with django_assert_num_queries(4):  # higher tasks, lower tasks, their further leads, reports
        rows = selectors.lower_tasks_by_higher(higher_task.plan, as_of=TODAY)
    assert len(dict(rows)[higher_task]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_reads_a_fixed_number_of_queries(
    client, reviewer, higher_task, count, django_assert_num_queries
):
    _lower_plans(higher_task, count)
    client.force_login(reviewer)
    url = reverse("reports:plan_cascade", args=[higher_task.plan_id])
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200


# Session, user, plan, the selector's four, the navigation's: the same at 1 and 3 (the
# province scope adds none: further provinces are read at sign-in).
PAGE_QUERIES = 11


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("head", 403),
        ("reviewer", 200),  # the higher plan's focal point
        ("leader", 200),
        ("admin_user", 200),
    ],
)
def test_who_sees_the_lower_plans_page(request, client, higher_task, role, status):
    _lower_plans(higher_task, 1)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("reports:plan_cascade", args=[higher_task.plan_id]))
    assert response.status_code == status


def test_a_reviewer_of_a_lower_plan_does_not_see_the_higher_plans_page(client, higher_task):
    from tests.factories import UserFactory

    (lower,) = _lower_plans(higher_task, 1)
    client.force_login(UserFactory(reviewer=True, agency=lower.lead))
    response = client.get(reverse("reports:plan_cascade", args=[higher_task.plan_id]))
    assert response.status_code == 403


def test_the_plan_pages_link_up_and_down(client, reviewer, officer, higher_task):
    (lower,) = _lower_plans(higher_task, 1)
    client.force_login(reviewer)
    text = page_text(client.get(reverse("plans:detail", args=[higher_task.plan_id])))
    assert reverse("reports:plan_cascade", args=[higher_task.plan_id]) in text
    lower_page = page_text(client.get(reverse("plans:detail", args=[lower.plan_id])))
    assert reverse("plans:detail", args=[higher_task.plan_id]) + "#task-IV.1.1" in lower_page
    client.force_login(officer)  # an officer cannot open the lower plans' page: no link to it
    text = page_text(client.get(reverse("plans:detail", args=[higher_task.plan_id])))
    assert reverse("reports:plan_cascade", args=[higher_task.plan_id]) not in text
