"""Reads that span relations, with a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Prefetch, Q

from accounts.models import User
from plans.models import Agency, Plan
from tasks.models import Task, TaskStatus

from . import access
from .models import Contribution, Round, Submission, TaskReport


def latest_reports(
    *,
    year: int,
    tasks: Iterable[Task] | None = None,
    plan: Plan | None = None,
    states=Submission.SUBMITTED_STATES,
) -> dict[int, list[TaskReport]]:
    """Each reporting agency's latest report on each task, in `states`, from rounds up to
    `year`, latest first (one query). A task with several leads is judged on each lead's."""
    reports = TaskReport.objects.filter(
        submission__round__year__lte=year, submission__state__in=states
    )
    if tasks is not None:
        reports = reports.filter(task__in=list(tasks))
    if plan is not None:
        # The round's plan as well: the planner then starts from the plan's few rounds, even on
        # statistics not yet refreshed after a bulk load (400 ms → 15 ms on seed_scale 1×).
        reports = reports.filter(task__plan=plan, submission__round__plan=plan)
    reports = reports.exclude(state="").select_related("submission__round", "submission__agency")
    newest_first = ("-submission__round__year", "-submission__submitted_at")
    if connection.vendor == "postgresql":
        # DISTINCT ON: one row per task and agency, not every year's (5 rounds: 5× the rows).
        reports = reports.order_by("task_id", "submission__agency_id", *newest_first).distinct(
            "task_id", "submission__agency_id"
        )
    else:
        reports = reports.order_by("task_id", *newest_first)
    latest: dict[int, list[TaskReport]] = {}
    seen: set[tuple[int, int]] = set()
    # One instance per submission, shared by its task reports (a join gives each row its own
    # copy, long texts included: what the dashboard keeps in the cache, 3× the size).
    submissions: dict[int, Submission] = {}
    for report in reports:
        key = (report.task_id, report.submission.agency_id)
        if key not in seen:
            seen.add(key)
            report.submission = submissions.setdefault(report.submission_id, report.submission)
            latest.setdefault(report.task_id, []).append(report)
    for task_reports in latest.values():  # latest first, as ORDER BY … DESC (NULLs first)
        task_reports.sort(key=_newest, reverse=True)
    return latest


def _newest(report: TaskReport) -> tuple:
    submitted = report.submission.submitted_at
    return (report.submission.round.year, submitted is None, submitted or _EARLIEST)


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def latest_progress(
    *,
    year: int,
    tasks: Iterable[Task] | None = None,
    plan: Plan | None = None,
    states=Submission.SUBMITTED_STATES,
) -> dict[int, TaskReport]:
    """Each task's latest report in `states` from rounds up to `year`, for the given tasks or
    every task of a plan (one query). The derived status and the prefill of a new round read it."""
    latest = latest_reports(year=year, tasks=tasks, plan=plan, states=states)
    return {task_id: reports[0] for task_id, reports in latest.items()}


def status_from(task: Task, as_of: dt.date, reports: list[TaskReport]) -> TaskStatus:
    """The task's status from its agencies' latest reports (see `latest_reports`)."""
    return task.status_from_reports(as_of, [(r.submission.agency_id, r) for r in reports])


@dataclass
class TaskWithStatus:
    task: Task
    status: TaskStatus
    report: TaskReport | None


def tasks_with_status(tasks: Iterable[Task], *, as_of: dt.date) -> list[TaskWithStatus]:
    tasks = list(tasks)
    latest = latest_reports(tasks=tasks, year=as_of.year)
    return [
        TaskWithStatus(
            task,
            status_from(task, as_of, latest.get(task.pk, [])),
            (latest.get(task.pk) or [None])[0],
        )
        for task in tasks
    ]


@dataclass
class LowerTask:
    """A task of a lower plan that implements a task of the higher plan, with its status."""

    task: Task
    status: TaskStatus


def lower_tasks_by_higher(plan: Plan, *, as_of: dt.date) -> list[tuple[Task, list[LowerTask]]]:
    """Each task of `plan` with every task of a lower plan that implements it (its plan,
    province, leads and combined status), in four queries however many lower plans there are."""
    higher_tasks = list(Task.objects.filter(plan=plan).order_by("position"))
    lower = list(
        Task.objects.filter(higher_task__plan=plan)
        .select_related("plan__province", "lead")
        .prefetch_related("co_lead_links__agency")
        .order_by("plan__province__name", "plan__title", "position")
    )
    latest = latest_reports(tasks=lower, year=as_of.year)
    by_higher: dict[int, list[LowerTask]] = {}
    for task in lower:
        status = status_from(task, as_of, latest.get(task.pk, []))
        by_higher.setdefault(task.higher_task_id, []).append(LowerTask(task, status))
    return [(task, by_higher.get(task.pk, [])) for task in higher_tasks]


def tasks_answered_by(agency: Agency, *, on: dt.date) -> list[Task]:
    """Tasks this agency answers for on a date: its own (as lead or further lead), its
    predecessors', its groups', and those passed to any of them on their own (IV.4.3 to Sở Giáo
    dục và Đào tạo)."""
    ids = _agencies_resolving_to(agency)
    candidates = (
        Task.objects.filter(Q(lead__in=ids) | Q(co_leads__in=ids) | Q(successors__agency__in=ids))
        .distinct()
        .select_related("lead__succeeded_by__succeeded_by", "plan", "section")
        .prefetch_related(
            "lead__members__succeeded_by",
            "co_lead_links__agency__succeeded_by__succeeded_by",
            "co_lead_links__agency__members__succeeded_by",
            "successors__agency__succeeded_by",
            "successors__agency__members__succeeded_by",
        )
        .order_by("plan_id", "position")
    )
    return [t for t in candidates if agency in t.answering_agencies(on)]


def _agencies_resolving_to(agency: Agency) -> set[int]:
    """Ids of the agency, its predecessors (merged into it) and the groups they belong to:
    the coordinators whose work this agency answers for today."""
    ids, frontier = {agency.pk}, {agency.pk}
    while frontier:  # a few levels at most: succession chains are short
        frontier = (
            set(Agency.objects.filter(succeeded_by__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    groups = Agency.members.through.objects.filter(to_agency__in=ids)
    return ids | set(groups.values_list("from_agency", flat=True))


def coordinated_tasks(agency: Agency) -> list[tuple[Round, Task, str]]:
    """(round, task, this agency's contribution so far) for tasks it coordinates in open rounds,
    whether or not the round asks the agency for a report of its own."""
    rounds = list(
        Round.objects.filter(closed_at__isnull=True)
        .select_related("plan")
        .prefetch_related("scope")
    )
    if not rounds:
        return []
    tasks_by_plan: dict[int, list[Task]] = {}
    for task in (
        Task.objects.filter(
            plan__in={r.plan_id for r in rounds},
            coordinators__in=_agencies_resolving_to(agency),
        )
        .distinct()
        .select_related("lead__succeeded_by__succeeded_by")
        .prefetch_related(
            "coordinators__succeeded_by",
            "coordinators__members",
            "co_lead_links__agency__succeeded_by",
            "successors__agency__succeeded_by",  # the page names each task's lead as of today
        )
        .order_by("position")
    ):
        tasks_by_plan.setdefault(task.plan_id, []).append(task)
    if not tasks_by_plan:
        return []
    contributions = {
        (c.round_id, c.task_id): c.text
        for c in Contribution.objects.filter(agency=agency, round__in=rounds)
    }
    result = []
    for round_ in rounds:
        scope = {t.pk for t in round_.scope.all()}  # empty: every task of the plan
        for task in tasks_by_plan.get(round_.plan_id, []):
            if scope and task.pk not in scope:
                continue
            on = round_.due_on
            agencies = {a for c in task.coordinators.all() for a in c.answering_agencies(on)}
            if agency in agencies:
                result.append((round_, task, contributions.get((round_.pk, task.pk), "")))
    return result


def plan_time_leads(round_: Round, *, on: dt.date) -> dict[int, list[str]]:
    """Per submission of the round, the plan-time leads of tasks it answers for that have
    since been succeeded, as every page names them: 'Sở Lao động - Thương binh và Xã hội (nay
    là Sở Giáo dục và Đào tạo)'. Two queries."""
    reports = (
        TaskReport.objects.filter(submission__round=round_)
        .exclude(task__lead=F("submission__agency"))
        .select_related("task__lead__succeeded_by__succeeded_by")
        .prefetch_related("task__successors__agency__succeeded_by")
        .order_by("task__position")
    )
    leads: dict[int, list[str]] = {}
    for report in reports:
        name = report.task.lead_name_on(on)
        names = leads.setdefault(report.submission_id, [])
        if name != report.task.lead.name and name not in names:
            names.append(name)
    return leads


def submission_page(submission_id: int) -> Submission:
    """A submission with everything its page shows, in a fixed number of queries."""
    return (
        Submission.objects.select_related(
            "round__plan__focal_agency", "agency", "updated_by", "submitted_by"
        )
        .prefetch_related(
            Prefetch(
                "task_reports",
                queryset=TaskReport.objects.select_related(
                    "task__lead__succeeded_by__succeeded_by",
                    "task__section",
                    "task__plan",
                    "submission__round",
                ).prefetch_related(
                    "evidence",
                    "task__successors__agency__succeeded_by",
                    "task__co_lead_links__agency__succeeded_by",
                ),
            ),
            "target_reports__target__parent",
        )
        .get(pk=submission_id)
    )


def contributions_for(submission: Submission) -> dict[int, list[Contribution]]:
    by_task: dict[int, list[Contribution]] = {}
    task_ids = [r.task_id for r in submission.task_reports.all()]
    for contribution in Contribution.objects.filter(
        round=submission.round_id, task_id__in=task_ids
    ).select_related("agency"):
        by_task.setdefault(contribution.task_id, []).append(contribution)
    return by_task


def open_submissions_for(user: User) -> list[Submission]:
    return list(
        Submission.objects.filter(agency=user.agency, round__closed_at__isnull=True)
        .select_related("round__plan")
        .order_by("round__due_on")
    )


def rounds_for(user: User) -> list[Round]:
    rounds = Round.objects.select_related("plan").order_by("-year", "-due_on")
    if not access.sees_every_plan(user):
        rounds = rounds.filter(plan__focal_agency=user.agency)
    return list(rounds)
