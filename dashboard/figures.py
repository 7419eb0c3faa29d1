"""The figures leadership reads: one module shared by the dashboard and the annual report.

Every function takes already-chosen plan/round/date arguments and runs a fixed number of
queries whatever the number of tasks, agencies or submissions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from plans.models import Agency, Plan, Target
from reports.models import Round, Submission, TargetReport, TaskReport
from reports.selectors import latest_reports
from tasks.models import ImplementationState, Task, TaskStatus

OFFICIAL = (Submission.State.ACCEPTED,)  # the annual report counts accepted reports only
REPORTED = Submission.SUBMITTED_STATES  # the dashboard also shows what awaits review

DONE = (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)
OVERDUE_BUCKETS = (("0-30", 0, 30), ("31-120", 31, 120), ("120+", 121, None))


# --- targets ------------------------------------------------------------------------------


@dataclass
class TargetFigure:
    target: Target
    actuals: dict[int, Decimal] = field(default_factory=dict)  # year → reported value
    path: dict[int, Decimal] = field(default_factory=dict)  # year → value on course
    sources: dict[int, str] = field(default_factory=dict)

    @property
    def latest_year(self) -> int | None:
        return max(self.actuals) if self.actuals else None

    @property
    def latest(self) -> Decimal | None:
        return self.actuals[self.latest_year] if self.actuals else None

    @property
    def on_track(self) -> bool | None:
        """Annual-rate targets: this year's rate meets the comparator. Others: the latest
        actual is at or beyond the straight line from the baseline to the horizon value.
        None when it cannot be judged (qualitative, no figure, no baseline)."""
        target, year = self.target, self.latest_year
        if target.is_qualitative or year is None:
            return None
        if target.annual_rate:
            return target.is_met_by(self.latest)
        expected = self.path.get(year)
        if expected is None:
            return None
        if target.comparator == Target.Comparator.AT_MOST:
            return self.latest <= expected
        return self.latest >= expected


def _path(target: Target, actuals: dict[int, Decimal], first_year: int) -> dict[int, Decimal]:
    if target.is_qualitative or target.value is None:
        return {}
    if target.annual_rate:
        return {y: target.value for y in range(first_year, target.year + 1)}
    if target.baseline_value is not None and target.baseline_year is not None:
        base_year, base = target.baseline_year, target.baseline_value
    elif len(actuals) >= 2:  # no baseline in the plan: the first reported year stands in
        base_year = min(actuals)
        base = actuals[base_year]
    else:
        return {target.year: target.value}
    span = target.year - base_year
    if span <= 0:
        return {target.year: target.value}
    step = (target.value - base) / span
    return {base_year + i: (base + step * i).quantize(Decimal("0.01")) for i in range(span + 1)}


def target_figures(plan: Plan, *, year: int, states=REPORTED) -> list[TargetFigure]:
    """Each target with its reported value per year up to `year`, and its course (2 queries)."""
    targets = list(plan.targets.select_related("parent", "reporting_agency").order_by("position"))
    reports = (
        TargetReport.objects.filter(
            target__plan=plan,
            submission__state__in=states,
            submission__round__year__lte=year,
            submission__round__kind=Round.Kind.ANNUAL,
            actual__isnull=False,
        )
        .select_related("submission__round")
        .order_by("submission__round__year", "submission__submitted_at")
    )
    actuals: dict[int, dict[int, Decimal]] = {}
    sources: dict[int, dict[int, str]] = {}
    for report in reports:  # later submissions of a year overwrite earlier ones
        y = report.submission.round.year
        actuals.setdefault(report.target_id, {})[y] = report.actual
        sources.setdefault(report.target_id, {})[y] = report.source
    return [
        TargetFigure(
            target=t,
            actuals=actuals.get(t.pk, {}),
            path=_path(t, actuals.get(t.pk, {}), plan.start_year),
            sources=sources.get(t.pk, {}),
        )
        for t in targets
    ]


# --- tasks --------------------------------------------------------------------------------


@dataclass
class TaskFigure:
    task: Task
    status: TaskStatus
    report: TaskReport | None
    lead_name: str  # "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)"
    agencies: list[Agency]  # who answers for it on the date
    # Each lead's latest report, in the leads' order (None: not reported); one lead: [report].
    lead_reports: list[TaskReport | None] = field(default_factory=list)
    lead_names: list[str] = field(default_factory=list)  # each lead, as lead_name writes it
    days_overdue: int | None = None  # set for overdue tasks


def task_figures(plan: Plan, *, as_of: dt.date, states=REPORTED) -> list[TaskFigure]:
    """Every task with its derived status at `as_of`, from the latest report in `states`."""
    tasks = list(
        plan.tasks.select_related("lead__succeeded_by__succeeded_by", "section")
        .prefetch_related(
            "lead__members__succeeded_by__succeeded_by",
            "co_lead_links__agency__succeeded_by__succeeded_by",
            "co_lead_links__agency__members__succeeded_by__succeeded_by",
            "successors__agency__succeeded_by",
            "successors__agency__members__succeeded_by",
        )
        .order_by("position")
    )
    latest = latest_reports(plan=plan, year=as_of.year, states=states)
    figures = []
    leads: dict[int, Agency] = {}
    for task in tasks:
        # One instance per plan and per lead, not a copy per row: the figures are kept in the
        # cache, and copies made them a third bigger to store and to read back.
        task.plan = plan
        task.lead = leads.setdefault(task.lead_id, task.lead)
        reports = latest.get(task.pk, [])
        per_lead = task.lead_progress(as_of, [(r.submission.agency_id, r) for r in reports])
        figure = TaskFigure(
            task=task,
            status=task.status_of_leads(as_of, per_lead),  # several leads: combined, counted once
            report=reports[0] if reports else None,
            lead_reports=per_lead,
            lead_names=[task.lead_name_on(as_of, lead) for lead in task.leads()],
            lead_name=task.lead_names_on(as_of),
            agencies=task.answering_agencies(as_of),
        )
        if figure.status == TaskStatus.OVERDUE and task.due_date:
            figure.days_overdue = (as_of - task.due_date).days
        figures.append(figure)
    return figures


@dataclass
class Basis:
    """Which agency reports a set of task figures rests on: the dashboard also counts reports
    awaiting review, the annual report only accepted ones."""

    reports: int  # distinct submissions the figures read
    accepted: int

    @property
    def pending(self) -> int:
        return self.reports - self.accepted

    @property
    def provisional(self) -> bool:
        return self.pending > 0


def basis(figures: list[TaskFigure]) -> Basis:
    """No query: the reports were read with their submission."""
    submissions = {r.submission_id: r.submission for f in figures for r in f.lead_reports if r}
    accepted = sum(s.state == Submission.State.ACCEPTED for s in submissions.values())
    return Basis(reports=len(submissions), accepted=accepted)


def status_counts(figures: list[TaskFigure]) -> dict[str, int]:
    """Count per status, every status present (zeros included), in the taxonomy's order."""
    counts = Counter(f.status for f in figures)
    return {status: counts.get(status, 0) for status in TaskStatus.values}


def status_counts_by(figures: list[TaskFigure], key: str) -> dict[str, dict[str, int]]:
    """Status counts per section (key="section") or per answering agency (key="agency")."""
    groups: dict[str, list[TaskFigure]] = {}
    for figure in figures:
        if key == "section":
            names = [f"{figure.task.section.code}. {figure.task.section.title}"]
        else:
            names = [a.short_name or a.name for a in figure.agencies] or [figure.lead_name]
        for name in names:
            groups.setdefault(name, []).append(figure)
    return {name: status_counts(items) for name, items in groups.items()}


def headline(figures: list[TaskFigure], *, as_of: dt.date) -> dict[str, object]:
    """% done among tasks due, % overdue among tasks due (docs/domain.md's headline figures)."""
    due = [f for f in figures if f.task.due_date and f.task.due_date <= as_of]
    done = [f for f in due if f.status in DONE]
    overdue = [f for f in due if f.status == TaskStatus.OVERDUE]
    return {
        "tasks": len(figures),
        "due": len(due),
        "done_of_due": len(done),
        "overdue_of_due": len(overdue),
        "pct_done": round(100 * len(done) / len(due), 1) if due else None,
        "pct_overdue": round(100 * len(overdue) / len(due), 1) if due else None,
    }


def overdue_buckets(figures: list[TaskFigure]) -> dict[str, list[TaskFigure]]:
    """Overdue tasks by age: up to 30 days, 31–120, over 120."""
    buckets: dict[str, list[TaskFigure]] = {name: [] for name, _lo, _hi in OVERDUE_BUCKETS}
    for figure in figures:
        days = figure.days_overdue
        if days is None:
            continue
        for name, low, high in OVERDUE_BUCKETS:
            if days >= low and (high is None or days <= high):
                buckets[name].append(figure)
                break
    return buckets


# --- rounds and agencies --------------------------------------------------------------------


@dataclass
class AgencyRow:
    agency: Agency
    submission: Submission
    timeliness: str  # on_time / late / missing / pending
    tasks: int
    done: int

    @property
    def completion(self) -> float | None:
        return round(100 * self.done / self.tasks, 1) if self.tasks else None


_T = Submission.Timeliness
TIMELINESS_ORDER = {_T.ON_TIME: 0, _T.PENDING: 1, _T.LATE: 2, _T.MISSING: 3}


def agency_rows(round_: Round, *, today: dt.date) -> list[AgencyRow]:
    """Each agency of the round with its timeliness and share of its tasks reported done,
    best first (on time, then by completion)."""
    submissions = round_.submissions.select_related("agency", "round").prefetch_related(
        "task_reports"
    )
    rows = []
    for submission in submissions:
        reports = list(submission.task_reports.all())
        rows.append(
            AgencyRow(
                agency=submission.agency,
                submission=submission,
                timeliness=submission.timeliness(today),
                tasks=len(reports),
                done=sum(r.state == ImplementationState.DONE for r in reports),
            )
        )
    rows.sort(
        key=lambda r: (
            TIMELINESS_ORDER[r.timeliness],
            -(r.completion or 0),
            r.agency.name,
        )
    )
    return rows


def round_summary(round_: Round, *, today: dt.date) -> dict[str, object]:
    """The current round at a glance: counts by state and timeliness, days to the due date."""
    submissions = list(round_.submissions.select_related("round"))
    states = Counter(s.state for s in submissions)
    timeliness = Counter(s.timeliness(today) for s in submissions)
    return {
        "round": round_,
        "total": len(submissions),
        "states": {state: states.get(state, 0) for state in Submission.State.values},
        "timeliness": {key: timeliness.get(key, 0) for key in TIMELINESS_ORDER},
        "days_to_due": (round_.due_on - today).days,
    }


# --- the dashboard: choosing the round, scoping and grouping with link keys -----------------


def current_round(plan: Plan, *, year: int) -> Round | None:
    """The round a year's figures follow: the annual one, else the latest ad hoc (1 query)."""
    rounds = list(plan.rounds.filter(year=year).select_related("plan"))
    return min(
        rounds,
        key=lambda r: (r.kind != Round.Kind.ANNUAL, -r.due_on.toordinal(), -r.pk),
        default=None,
    )


def judged_on(*, year: int, round_: Round | None, today: dt.date) -> dt.date:
    """The date a year's task statuses are judged at: the round's rule (today, never past its
    data cut-off), or without a round today, never past the year's end."""
    if round_ is not None:
        return round_.judged_on(today)
    return min(today, dt.date(year, 12, 31))


def _agency_keys(figure: TaskFigure) -> list[tuple[int, str]]:
    """(id, label) of who answers for a task, as status_counts_by(key="agency") groups it:
    a task nobody answers for any more (dissolved districts) stays under its lead."""
    return [(a.pk, a.short_name or a.name) for a in figure.agencies] or [
        (figure.task.lead_id, figure.lead_name)
    ]


def in_scope(figure: TaskFigure, *, section: str = "", agency_id: int | None = None) -> bool:
    """Whether a task belongs to a section (its code or a parent's, "IV" holds "IV.2") and
    is answered for by an agency."""
    code = figure.task.section.code
    if section and code != section and not code.startswith(section + "."):
        return False
    return agency_id is None or any(pk == agency_id for pk, _label in _agency_keys(figure))


def scoped(
    figures: list[TaskFigure], *, section: str = "", agency_id: int | None = None
) -> list[TaskFigure]:
    return [f for f in figures if in_scope(f, section=section, agency_id=agency_id)]


def due_figures(figures: list[TaskFigure], *, as_of: dt.date) -> list[TaskFigure]:
    """The tasks due by `as_of`: headline()'s denominator."""
    return [f for f in figures if f.task.due_date and f.task.due_date <= as_of]


@dataclass
class StatusGroup:
    key: str  # section code or agency id: what a link filters on
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_groups(figures: list[TaskFigure], key: str) -> list[StatusGroup]:
    """status_counts_by() with each group's section code or agency id, in the plan's order."""
    members: dict[str, tuple[str, list[TaskFigure]]] = {}
    for figure in figures:
        if key == "section":
            section = figure.task.section
            keys = [(section.code, f"{section.code}. {section.title}")]
        else:
            keys = [(str(pk), label) for pk, label in _agency_keys(figure)]
        for group_key, label in keys:
            members.setdefault(group_key, (label, []))[1].append(figure)
    return [
        StatusGroup(key=group_key, label=label, counts=status_counts(items))
        for group_key, (label, items) in members.items()
    ]


def agency_choices(figures: list[TaskFigure]) -> list[tuple[int, str]]:
    """Every agency a task can be filtered by, by name."""
    choices = {pk: label for figure in figures for pk, label in _agency_keys(figure)}
    return sorted(choices.items(), key=lambda item: item[1])


def section_choices(figures: list[TaskFigure]) -> list[tuple[str, str]]:
    """The sections that hold tasks, in the plan's order."""
    seen: dict[str, tuple[int, str]] = {}
    for figure in figures:
        section = figure.task.section
        seen.setdefault(section.code, (section.position, f"{section.code}. {section.title}"))
    return [(code, label) for code, (_pos, label) in sorted(seen.items(), key=lambda i: i[1][0])]
