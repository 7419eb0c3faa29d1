"""Tasks the plan assigns (section IV), and the rule that derives their status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Agency, Plan, PlanPart, Section, now_named

from .timeframes import Timeframe, TimeframeKind, parse_timeframe


class ImplementationState(models.TextChoices):
    """What an agency reports about a task."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TaskStatus(models.TextChoices):
    """The Government Office's four-way count, plus not started and the per-year ongoing rule."""

    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    IN_PROGRESS = "in_progress", _("In progress, within deadline")
    OVERDUE = "overdue", _("Not done, overdue")
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing, no deadline")
    NOT_REPORTED = "not_reported", _("Not reported this year")


class Progress(Protocol):
    """What a progress report must offer to judge a task (reports.TaskReport fits)."""

    state: str
    completed_on: dt.date | None
    year: int


class Task(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("section")
    )
    code = models.CharField(_("code"), max_length=30)
    lead = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("lead agency")
    )
    # Further leads when the plan names several ("Viện A; Viện B"): `lead` stays the first named,
    # so code that knows one lead keeps working; each lead owes its own report.
    co_leads = models.ManyToManyField(
        Agency,
        through="TaskLead",
        blank=True,
        related_name="co_led_tasks",
        verbose_name=_("further lead agencies"),
    )
    coordinators = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="coordinated_tasks",
        verbose_name=_("coordinating agencies"),
    )
    coordination = models.TextField(
        _("coordination as written"), blank=True, help_text=_("e.g. 'các sở, ngành, địa phương'")
    )
    higher_task = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lower_tasks",
        verbose_name=_("implements (task of the higher plan)"),
        help_text=_("The task of the higher plan that this task carries out."),
    )
    content = models.TextField(_("content"))
    output = models.TextField(_("expected output"), blank=True)
    timeframe_text = models.CharField(_("timeframe as written"), max_length=255, blank=True)
    timeframe_kind = models.CharField(
        _("timeframe kind"), max_length=20, choices=TimeframeKind.choices
    )
    timeframe_start = models.DateField(_("starts"), null=True, blank=True)
    timeframe_end = models.DateField(_("due"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # An amending plan that drops a task someone already reported on closes it instead of
    # deleting it: the reports keep their task, later rounds no longer ask about it.
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("Dropped by an amending plan: kept with its reports, not asked about again."),
    )
    closed_by = models.CharField(
        _("closed by"), max_length=255, blank=True, help_text=_("The document that dropped it.")
    )

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.content[:80]}"

    def save(self, *args, **kwargs):
        if not self.timeframe_kind:
            self.set_timeframe(self.timeframe_text)
        super().save(*args, **kwargs)

    def set_timeframe(self, text: str) -> None:
        parsed = parse_timeframe(text)
        self.timeframe_text = parsed.text
        self.timeframe_kind = parsed.kind
        self.timeframe_start = parsed.start
        self.timeframe_end = parsed.end

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def timeframe(self) -> Timeframe:
        return Timeframe(
            self.timeframe_text, self.timeframe_kind, self.timeframe_start, self.timeframe_end
        )

    @property
    def due_date(self) -> dt.date | None:
        """The deadline; a task with no stated timeframe runs to the plan's horizon."""
        if self.timeframe.is_open_ended or self.timeframe_kind == TimeframeKind.UNPARSED:
            return None
        if self.timeframe_kind == TimeframeKind.UNSPECIFIED:
            return self.plan.horizon_end
        return self.timeframe_end

    def leads(self) -> list[Agency]:
        """Every lead in the plan's order, the first being `lead`. Reads `co_lead_links.all()`,
        so a prefetch of `co_lead_links__agency` serves every task with no extra query."""
        return [self.lead, *(link.agency for link in _related(self, "co_lead_links"))]

    @property
    def leads_text(self) -> str:
        """The leads as the plan names them: 'Viện A; Viện B'."""
        return "; ".join(a.name for a in self.leads())

    def successor_on(self, on: dt.date, lead: Agency | None = None) -> Agency | None:
        """The agency this task's share of `lead` (default: the first lead) passed to on its own
        (a moved function), or None. A TaskSuccessor with no `replaces` stands for the first lead.

        Reads `successors.all()` so a prefetch serves every task with no extra query.
        """
        lead_id = lead.pk if lead is not None else self.lead_id
        passed = [
            s
            for s in _related(self, "successors")
            if s.since <= on and (s.replaces_id or self.lead_id) == lead_id
        ]
        return max(passed, key=lambda s: s.since).agency if passed else None

    def answering_agencies_by_lead(self, on: dt.date) -> list[tuple[Agency, list[Agency]]]:
        """(lead, who answers for that lead's share on `on`) for each lead, in order."""
        return [
            (lead, (self.successor_on(on, lead) or lead).answering_agencies(on))
            for lead in self.leads()
        ]

    def answering_agencies(self, on: dt.date) -> list[Agency]:
        """Who answers for this task in a round dated `on` (succession and groups resolved): the
        union over its leads. A lead's share that passed to another agency than the lead's main
        successor follows that one."""
        result: list[Agency] = []
        for _lead, agencies in self.answering_agencies_by_lead(on):
            result += [a for a in agencies if a not in result]
        return result

    def lead_name_on(self, on: dt.date, lead: Agency | None = None) -> str:
        """A lead (default: the first) as the plan wrote it, and who answers for it on the date:
        'Sở Lao động - Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)'. Every page and
        document that names a task's plan-time lead uses this."""
        lead = lead or self.lead
        successor = self.successor_on(on, lead)
        if successor is None:
            return lead.name_on(on)
        today = successor if successor.is_group else (successor.successor_on(on) or successor)
        return now_named(lead.name, today.name)

    def lead_names_on(self, on: dt.date) -> str:
        """All leads, each as `lead_name_on` writes it: 'Viện A; Viện B'."""
        return "; ".join(self.lead_name_on(on, lead) for lead in self.leads())

    def clean(self) -> None:
        super().clean()
        if self.pk and self.lead_id:
            if self.co_lead_links.filter(agency_id=self.lead_id).exists():
                raise ValidationError(
                    {"lead": _("This agency is already a further lead of the task.")}
                )
            if self.coordinators.filter(pk=self.lead_id).exists():
                raise ValidationError({"lead": _("A lead cannot also coordinate the same task.")})
        if self.higher_task_id is not None:
            higher_plan_id = self.plan.higher_plan_id if self.plan_id else None
            higher = Task.objects.unscoped().filter(pk=self.higher_task_id).first()
            if higher is None or higher_plan_id is None or higher.plan_id != higher_plan_id:
                raise ValidationError(
                    {"higher_task": _("The task it implements must be a task of the higher plan.")}
                )

    def status_on(self, as_of: dt.date, progress: Progress | None) -> TaskStatus:
        """Derive the status from the timeframe, the latest report and the completion date.

        Tasks with no deadline (ongoing, "from year X", following another plan) are judged per
        year: reported for as_of's year or not, as docs/domain.md says, instead of being left out.
        """
        state = progress.state if progress else ImplementationState.NOT_STARTED
        if state == ImplementationState.DONE:
            due = self.due_date
            done_on = (progress.completed_on if progress else None) or as_of
            if due is None or done_on <= due:
                return TaskStatus.DONE_ON_TIME
            return TaskStatus.DONE_LATE
        due = self.due_date
        if due is None:
            if progress is None or progress.year != as_of.year:
                return TaskStatus.NOT_REPORTED
            if state == ImplementationState.NOT_STARTED:
                return TaskStatus.NOT_STARTED
            return TaskStatus.ONGOING
        if as_of > due:
            return TaskStatus.OVERDUE
        if state == ImplementationState.NOT_STARTED:
            return TaskStatus.NOT_STARTED
        return TaskStatus.IN_PROGRESS

    def lead_progress(
        self, on: dt.date, reports: Sequence[tuple[int, Progress]]
    ) -> list[Progress | None]:
        """Each lead's latest progress, from (reporting agency id, progress) pairs, latest first.

        A lead's report is one by the lead itself or by whoever answers for its share on `on`.
        With one lead, the latest report of all counts, as it always has.
        """
        if not _related(self, "co_lead_links"):
            return [reports[0][1] if reports else None]
        result: list[Progress | None] = []
        for lead, agencies in self.answering_agencies_by_lead(on):
            ids = {lead.pk} | {a.pk for a in agencies}
            result.append(next((p for agency_id, p in reports if agency_id in ids), None))
        return result

    def status_of_leads(self, as_of: dt.date, progresses: Sequence[Progress | None]) -> TaskStatus:
        """The combined status of a task with one progress per lead (None: not reported).

        Done only when every lead reports it done, completed on the latest lead's date (so on
        time or late); otherwise the least advanced lead's status, so one lead overdue makes the
        task overdue. One lead: `status_on` as it is.
        """
        if len(progresses) == 1:
            return self.status_on(as_of, progresses[0])
        done = [p for p in progresses if p and p.state == ImplementationState.DONE]
        if len(done) == len(progresses):
            last = max(done, key=lambda p: p.completed_on or as_of)
            return self.status_on(as_of, last)
        statuses = [
            self.status_on(as_of, p)
            for p in progresses
            if not (p and p.state == ImplementationState.DONE)
        ]
        return min(statuses, key=ADVANCEMENT.index)

    def status_from_reports(
        self, as_of: dt.date, reports: Sequence[tuple[int, Progress]]
    ) -> TaskStatus:
        """`status_of_leads` over each lead's latest report (see `lead_progress`)."""
        return self.status_of_leads(as_of, self.lead_progress(as_of, reports))


# Least advanced first: the combined status of several leads is the lowest of theirs.
ADVANCEMENT = [
    TaskStatus.OVERDUE,
    TaskStatus.NOT_REPORTED,
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.ONGOING,
    TaskStatus.DONE_LATE,
    TaskStatus.DONE_ON_TIME,
]


class TaskLead(models.Model):
    """A further lead of a task, after the first (`Task.lead`), in the plan's order."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="co_lead_links")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="co_lead_links", verbose_name=_("agency")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("further lead")
        verbose_name_plural = _("further leads")
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="task_lead_once_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.agency}"

    def clean(self) -> None:
        super().clean()
        if not self.task_id or not self.agency_id:
            return
        if self.agency_id == self.task.lead_id:
            raise ValidationError({"agency": _("This agency is already the task's first lead.")})
        if self.task.coordinators.filter(pk=self.agency_id).exists():
            raise ValidationError({"agency": _("A lead cannot also coordinate the same task.")})


class TaskSuccessor(models.Model):
    """A task that passes, from a date, to another agency than its lead's main successor: the
    function it belongs to moved elsewhere (vocational training to Sở Giáo dục và Đào tạo), or
    its lead ended and its work passed to a group (district tasks to the communes)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successors")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="inherited_tasks",
        verbose_name=_("answering agency"),
    )
    # Which lead's share passed on; empty: the first lead's (the only one, for most tasks).
    replaces = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead it replaces"),
        help_text=_("Empty: the first lead."),
    )
    since = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["task", "since"]
        verbose_name = _("task successor")
        verbose_name_plural = _("task successors")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "replaces", "since"],
                name="task_successor_once_a_day",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code} → {self.agency} ({self.since:%d/%m/%Y})"


def _related(instance, name: str):
    """`instance.<name>.all()`, but the prefetched rows themselves when there are some: the
    status of every task of a plan asks for its leads and successors several times, and each
    `.all()` builds a manager and clones a queryset (300 a dashboard, most of its derivation)."""
    prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    return prefetched if prefetched is not None else getattr(instance, name).all()
