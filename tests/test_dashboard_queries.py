"""The dashboard runs the same number of SQL queries at 1× and at 10× the seed plan's data.

10× is the seed plan's 23 agencies (with their mergers, dissolutions and groups), 26 tasks and
7 targets nine more times over, so 10 times the submissions, task reports and target reports in
two annual rounds (2025 accepted, 2026 in every state).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import Agency, Plan, Target
from reports import services
from reports.models import Submission, TargetReport, TaskReport
from tasks.models import ImplementationState, Task
from tests.test_dashboard_figures import at

STATES_2026 = ["accepted", "submitted", "returned", "resubmitted", "draft", "not_started"]


def multiply(plan: Plan, copies: int) -> None:
    """Copy the plan's agencies, tasks and targets `copies` more times."""
    agencies = list(Agency.objects.prefetch_related("members"))
    tasks = list(plan.tasks.all())
    targets = list(plan.targets.all())
    for n in range(1, copies + 1):
        twin = {
            a.pk: Agency.objects.create(
                name=f"{a.name} ({n})",
                short_name=f"{a.short_name} ({n})",
                abbreviation=f"{a.abbreviation}-{n}",
                kind=a.kind,
                succeeded_on=a.succeeded_on,
                dissolved_on=a.dissolved_on,
            )
            for a in agencies
        }
        for a in agencies:
            if a.succeeded_by_id:
                twin[a.pk].succeeded_by = twin[a.succeeded_by_id]
                twin[a.pk].save()
            if a.is_group:
                twin[a.pk].members.set([twin[m.pk] for m in a.members.all()])
        for task in tasks:
            Task.objects.create(
                plan=plan,
                section=task.section,
                code=f"{task.code}#{n}",
                lead=twin[task.lead_id],
                content=task.content,
                timeframe_text=task.timeframe_text,
                position=task.position + 1000 * n,
            )
        parents = {}
        for target in targets:  # parents come first in the plan's order
            parents[target.pk] = Target.objects.create(
                plan=plan,
                code=f"{target.code}#{n}",
                name=target.name,
                unit=target.unit,
                comparator=target.comparator,
                value=target.value,
                year=target.year,
                annual_rate=target.annual_rate,
                parent=parents.get(target.parent_id),
                reporting_agency=twin.get(target.reporting_agency_id),
                position=target.position + 1000 * n,
            )


def report(plan: Plan, reviewer) -> None:
    """Two annual rounds, written straight to the tables: 2025 all accepted, 2026 in every
    state, with task reports in every implementation state and target values."""
    for year in (2025, 2026):
        with at(11, 1, year):
            round_ = services.round_open(plan=plan, opened_by=reviewer, year=year)
        submitted = timezone.make_aware(dt.datetime(year, 12, 5, 9))
        for k, submission in enumerate(round_.submissions.order_by("pk")):
            state = "accepted" if year == 2025 else STATES_2026[k % len(STATES_2026)]
            submission.state = state
            if state not in ("draft", "not_started"):
                submission.first_submitted_at = submission.submitted_at = submitted
            submission.save()
            for i, row in enumerate(submission.task_reports.all()):
                row.state = list(ImplementationState.values)[(i + k) % 3]
                row.progress = {"done": 100, "in_progress": 50}.get(row.state)
                row.completed_on = dt.date(year, 6, 30) if row.state == "done" else None
                row.results = "Kết quả"
                row.save()
            submission.target_reports.update(actual=Decimal("30") + year - 2025)
    assert Submission.objects.exists() and TaskReport.objects.exists()
    assert TargetReport.objects.filter(actual__isnull=False).exists()


def count_queries(client, plan: Plan, copies: int, reviewer) -> dict[str, int]:
    """Build the data inside a savepoint, count each page's queries, then roll it back."""
    counts = {}
    with transaction.atomic():
        multiply(plan, copies)
        report(plan, reviewer)
        target = plan.targets.get(code="CT1")
        pages = {
            "dashboard": reverse("dashboard:index"),
            "tasks": reverse("dashboard:tasks"),
            "target": reverse("dashboard:target", args=[target.pk]),
        }
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"plan": plan.pk, "year": 2026})
            assert response.status_code == 200
            counts[name] = len(queries)
            if name == "dashboard":
                assert response.context["headline"]["tasks"] == 26 * (copies + 1)
                agencies = len(response.context["round_info"]["agencies"])
                # The seed plan's Sở GD&ĐT and communes come from its task successors, which the
                # copies do not carry.
                assert agencies == 8 + 6 * copies
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_the_dashboard_query_count_does_not_grow_with_the_data(client, seed_plan, leader, reviewer):
    with at(12, 12):  # the session is fresh, the 2026 round two days past its due date
        client.force_login(leader)
        once = count_queries(client, seed_plan, 0, reviewer)
        tenfold = count_queries(client, seed_plan, 9, reviewer)
    print(f"queries at 1×: {once}; at 10×: {tenfold}")
    assert once == tenfold
    # 20 before: +1 for the tasks' further leads (prefetched), +1 for the cached figures'
    # fingerprint (dashboard/cache.py), which a warm request answers from alone.
    assert once["dashboard"] <= 22
