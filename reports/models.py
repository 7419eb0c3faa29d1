"""Reporting rounds, the submissions agencies owe in them, and what each submission says."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from plans.models import Agency, Plan, PlanPart, Target
from provinces.scope import ScopedManager
from tasks.models import ImplementationState, Task

from .validators import validate_day_list, validate_not_in_future


def default_period(year: int) -> tuple[dt.date, dt.date]:
    """Decree 09/2019/NĐ-CP: an annual report covers 15/12 of the previous year to 14/12."""
    return dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


class Round(PlanPart):
    """A reporting round (kỳ báo cáo): annual, or ad hoc (đột xuất) with its own due date."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        AD_HOC = "ad_hoc", _("Ad hoc")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (data cut-off)"))
    due_on = models.DateField(_("due date"))
    instructions = models.TextField(_("instructions"), blank=True)
    scope = models.ManyToManyField(
        Task,
        blank=True,
        related_name="rounds",
        verbose_name=_("tasks in scope"),
        help_text=_("Empty means every task of the plan."),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminder_days_before = models.JSONField(
        _("reminders before the due date (days)"),
        default=list,
        blank=True,
        validators=[validate_day_list],
    )
    reminder_days_after = models.JSONField(
        _("reminders after the due date (days)"),
        default=list,
        blank=True,
        validators=[validate_day_list],
    )
    # Edits, closing and reopening keep who, when and why (reports/rounds.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-due_on"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                condition=Q(kind="annual"),
                name="one_annual_round_per_plan_and_year",
                violation_error_message=_("The annual round for this year is already open."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="round_period_in_order",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean_fields(self, exclude=None) -> None:
        if self.kind == self.Kind.AD_HOC and not self.due_on:
            exclude = {*(exclude or ()), "due_on"}  # clean() says why, once
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.kind == self.Kind.AD_HOC and not self.due_on:
            raise ValidationError({"due_on": _("An ad hoc round needs its own due date.")})
        if self.pk and self.plan_id:
            self.validate_scope(self.scope.all())

    def validate_scope(self, tasks) -> None:
        """The tasks asked about are tasks of the round's plan (a many-to-many relation is
        saved after the row, so forms and services call this with the tasks they will set)."""
        if any(task.plan_id != self.plan_id for task in tasks):
            raise ValidationError({"scope": _("Choose tasks of the selected plan only.")})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    def judged_on(self, today: dt.date | None = None) -> dt.date:
        """The date task statuses are judged at: today, but never past the data cut-off."""
        return min(today or timezone.localdate(), self.period_end)


class Submission(models.Model):
    """One agency's report in one round; its life: draft → submitted → returned → resubmitted
    → accepted. `version` goes up on every save so two editors cannot overwrite each other."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("submission state", "Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ACCEPTED = "accepted", _("Accepted")

    class Event(models.TextChoices):
        """A step of the workflow: history reason, signal, notification and e-mail name."""

        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted")
        REOPENED = "reopened", _("Reopened")
        READY = "ready", _("Ready for the head's approval")

    class Actor(models.TextChoices):
        """Who may take a step; reports/access.py decides whether a user is that actor."""

        AGENCY = "agency", _("the agency (its head, or an officer where it has no head)")
        FOCAL_POINT = "focal_point", _("the plan's focal point")
        STAFF = "staff", _("an officer of the agency")

    class Timeliness(models.TextChoices):
        ON_TIME = "on_time", _("On time")
        LATE = "late", _("Late")
        MISSING = "missing", _("Missing")
        PENDING = "pending", _("Not yet due")

    class Transition(NamedTuple):
        to: str
        by: str

    # The whole workflow: (state, event) → (new state, who may take the step). Services move a
    # submission only along these rows; templates show the buttons of the rows a user may take.
    TRANSITIONS: dict[tuple[str, str], Transition] = {
        (State.NOT_STARTED, Event.SUBMITTED): Transition(State.SUBMITTED, Actor.AGENCY),
        (State.DRAFT, Event.SUBMITTED): Transition(State.SUBMITTED, Actor.AGENCY),
        (State.RETURNED, Event.RESUBMITTED): Transition(State.RESUBMITTED, Actor.AGENCY),
        (State.SUBMITTED, Event.RETURNED): Transition(State.RETURNED, Actor.FOCAL_POINT),
        (State.RESUBMITTED, Event.RETURNED): Transition(State.RETURNED, Actor.FOCAL_POINT),
        (State.SUBMITTED, Event.ACCEPTED): Transition(State.ACCEPTED, Actor.FOCAL_POINT),
        (State.RESUBMITTED, Event.ACCEPTED): Transition(State.ACCEPTED, Actor.FOCAL_POINT),
        (State.ACCEPTED, Event.REOPENED): Transition(State.RETURNED, Actor.FOCAL_POINT),
        # An officer tells the head the draft is ready; the report stays with the agency.
        (State.DRAFT, Event.READY): Transition(State.DRAFT, Actor.STAFF),
        (State.RETURNED, Event.READY): Transition(State.RETURNED, Actor.STAFF),
    }

    EDITABLE_STATES = (State.NOT_STARTED, State.DRAFT, State.RETURNED)
    SUBMITTED_STATES = (State.SUBMITTED, State.RESUBMITTED, State.ACCEPTED)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    overall_assessment = models.TextField(_("overall assessment"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    document_number = models.CharField(_("signed document number"), max_length=50, blank=True)
    document_date = models.DateField(_("signed document date"), null=True, blank=True)
    document_file = models.FileField(
        _("signed document (PDF)"), upload_to="documents/%Y/", blank=True
    )
    document_verification = models.JSONField(
        _("signature check of the document"),
        default=dict,
        blank=True,
        help_text=_(
            "Checked on upload: {checked_at, ok, signatures: [{signer, issuer, signing_time, "
            "modified, trusted, valid, summary}]}. A file failing the check is kept, marked."
        ),
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ready_at = models.DateTimeField(_("ready for the head's approval at"), null=True, blank=True)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("reviewer's comment"), blank=True)
    resubmit_due_on = models.DateField(_("resubmission due"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    extended_due_on = models.DateField(
        _("extended due date"),
        null=True,
        blank=True,
        help_text=_("Granted to this agency alone; replaces the round's due date for it."),
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    history = HistoricalRecords()

    objects = ScopedManager("agency__province")

    class Meta:
        ordering = ["round", "agency__name"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="one_submission_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.round}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state in self.SUBMITTED_STATES

    @property
    def due_date(self) -> dt.date:
        """The round's due date, or the later one granted to this agency."""
        return self.extended_due_on or self.round.due_on

    def can(self, event: str) -> bool:
        """Whether the workflow has a step `event` from the current state (whoever takes it)."""
        return (self.state, event) in self.TRANSITIONS

    @classmethod
    def actor_of(cls, event: str) -> str:
        """Who takes `event`: the same actor from whichever state the table allows it."""
        return next(t.by for (_state, e), t in cls.TRANSITIONS.items() if e == event)

    @property
    def events(self) -> list[str]:
        """The steps the workflow allows from the current state."""
        return [event for (state, event) in self.TRANSITIONS if state == self.state]

    @property
    def submit_event(self) -> str:
        """Sending the report: a first submission, or a resubmission after a return."""
        if self.state == self.State.RETURNED:
            return self.Event.RESUBMITTED
        return self.Event.SUBMITTED

    def timeliness(self, today: dt.date | None = None) -> Timeliness:
        """On time / late / missing against the due date, the round's or the agency's extended
        one (the first submission counts)."""
        if self.first_submitted_at:
            submitted_on = timezone.localdate(self.first_submitted_at)
            if submitted_on <= self.due_date:
                return self.Timeliness.ON_TIME
            return self.Timeliness.LATE
        today = today or timezone.localdate()
        return self.Timeliness.MISSING if today > self.due_date else self.Timeliness.PENDING


class TaskReport(models.Model):
    """What a submission says about one task; the task's status is derived from it."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="task_reports"
    )
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(
        _("implementation"), max_length=20, choices=ImplementationState.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    results = models.TextField(_("results achieved"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    review_comment = models.TextField(_("reviewer's comment on this task"), blank=True)
    carried_over = models.BooleanField(
        _("carried over from the last period"),
        default=False,
        help_text=_(
            "Set when a round starts from last period's answer; cleared once the agency "
            "changes or confirms it."
        ),
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = ScopedManager("submission__agency__province")

    class Meta:
        ordering = ["submission", "position"]
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        constraints = [
            models.UniqueConstraint(fields=["submission", "task"], name="one_report_per_task"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(state=ImplementationState.DONE) | Q(progress=100),
                name="done_is_100_percent",
                violation_error_message=_("A task that is done is at 100 %%."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(state=ImplementationState.DONE),
                name="completion_date_only_when_done",
                violation_error_message=_("Only a task that is done has a completion date."),
            ),
            models.CheckConstraint(
                condition=~Q(state=ImplementationState.NOT_STARTED)
                | Q(progress__isnull=True)
                | Q(progress=0),
                name="not_started_has_no_progress",
                violation_error_message=_("A task not started has no progress."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} – {self.submission}"

    def clean(self) -> None:
        """The rules of one answer; the constraints above hold them in the database too.

        Choosing "done" means 100 %, whatever figure was typed beside it (as the form always
        did). Whether a done task gives its completion date is checked on submitting
        (completeness.py), so a draft may be saved without it.
        """
        errors = {}
        if self.state == ImplementationState.DONE:
            self.progress = 100
        elif self.completed_on:
            errors["completed_on"] = _("Only a task that is done has a completion date.")
        if self.state == ImplementationState.NOT_STARTED and self.progress:
            errors["progress"] = _("A task not started has no progress.")
        if errors:
            raise ValidationError(errors)

    @property
    def year(self) -> int:
        return self.submission.round.year


class TargetReport(models.Model):
    """The year's actual value of a target, as the agency that answers for it reports it."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="target_reports"
    )
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="reports")
    actual = models.DecimalField(
        _("actual value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    source = models.CharField(_("source of the figure"), max_length=255, blank=True)
    note = models.TextField(_("assessment"), blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = ScopedManager("submission__agency__province")

    class Meta:
        ordering = ["submission", "position"]
        verbose_name = _("target report")
        verbose_name_plural = _("target reports")
        constraints = [
            models.UniqueConstraint(fields=["submission", "target"], name="one_report_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.target.code} – {self.submission}"


class Contribution(models.Model):
    """A coordinating agency's short note on a task, which the lead sees while reporting."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="contributions")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contributions")
    text = models.TextField(_("contribution"))
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ScopedManager("agency__province")

    class Meta:
        ordering = ["task", "agency__name"]
        verbose_name = _("coordinator's contribution")
        verbose_name_plural = _("coordinators' contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "task", "agency"], name="one_contribution_per_coordinator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.task.code}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A generated name: what the user called the file never reaches the file system."""
    return f"evidence/{instance.submission_id}/{uuid.uuid4().hex}{Path(filename).suffix}"


class Evidence(models.Model):
    """A file attached to a task report (scan, decision, spreadsheet, photo)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    task_report = models.ForeignKey(
        TaskReport, on_delete=models.CASCADE, related_name="evidence", null=True, blank=True
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager("submission__agency__province")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


def staged_path(instance: StagedUpload, filename: str) -> str:
    return f"staged/{instance.submission_id}/{uuid.uuid4().hex}{Path(filename).suffix}"


class StagedUpload(models.Model):
    """An evidence file chosen in a save that was refused (a field in red, a version conflict):
    kept on the server, named by a token the form carries back, and attached as Evidence by the
    next successful save of the same user, submission and task. Left over after a day, it is
    deleted (services.staged_uploads_clean)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    task_report = models.ForeignKey(TaskReport, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=staged_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file waiting for a save")
        verbose_name_plural = _("files waiting for a save")

    def __str__(self) -> str:
        return self.original_name
