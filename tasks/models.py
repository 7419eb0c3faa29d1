"""Tasks the plan assigns (section IV), and the rule that derives their status."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Agency, Plan, Section, now_named

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


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("section")
    )
    code = models.CharField(_("code"), max_length=30)
    lead = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("lead agency")
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

    def successor_on(self, on: dt.date) -> Agency | None:
        """The agency this task passed to on its own (a moved function), or None.

        Reads `successors.all()` so a prefetch serves every task with no extra query.
        """
        passed = [s for s in self.successors.all() if s.since <= on]
        return max(passed, key=lambda s: s.since).agency if passed else None

    def answering_agencies(self, on: dt.date) -> list[Agency]:
        """Who answers for this task in a round dated `on` (succession and groups resolved).

        A task that passed to another agency than its lead's main successor follows that one.
        """
        successor = self.successor_on(on)
        return (successor or self.lead).answering_agencies(on)

    def lead_name_on(self, on: dt.date) -> str:
        """The lead as the plan wrote it, and who answers for it on the date: 'Sở Lao động -
        Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)'. Every page and document that
        names a task's plan-time lead uses this."""
        successor = self.successor_on(on)
        if successor is None:
            return self.lead.name_on(on)
        today = successor if successor.is_group else (successor.successor_on(on) or successor)
        return now_named(self.lead.name, today.name)

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
    since = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["task", "since"]
        verbose_name = _("task successor")
        verbose_name_plural = _("task successors")
        constraints = [
            models.UniqueConstraint(fields=["task", "since"], name="task_successor_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.task.code} → {self.agency} ({self.since:%d/%m/%Y})"
