"""Deadline reminders: the holiday calendar and what was sent."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A public holiday (no reminders go out), or a weekend day worked in exchange for one.

    Vietnam moves days off around long holidays by decision of the Government: a Saturday can
    become a working day (ngày làm bù) so that a Friday can be a day off. Such a Saturday is
    stored here with `is_working_day` set.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    is_working_day = models.BooleanField(
        _("make-up working day"),
        default=False,
        help_text=_("A weekend day that is worked in exchange for a day off."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class SentReminder(models.Model):
    """One reminder step for one submission, claimed before anything is sent.

    The unique key (submission, kind, deadline, step) is the exactly-once guarantee: the row is
    inserted with INSERT … ON CONFLICT DO NOTHING before the e-mail goes out, so only one run
    can own a step. The deadline is part of the key so that an extended due date gets a fresh
    cadence instead of finding its steps already used up.
    """

    class Kind(models.TextChoices):
        ROUND = "round", _("Toward the round's due date")
        RESUBMISSION = "resubmission", _("Toward the resubmission date")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed, being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (a later step went out)")
        FAILED = "failed", _("Failed, will be retried")

    submission = models.ForeignKey(
        "reports.Submission", on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    deadline = models.DateField(_("deadline"))
    step = models.CharField(_("step"), max_length=20, help_text=_("before-7, due, after-3…"))
    scheduled_for = models.DateField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    escalated = models.BooleanField(_("escalated"), default=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.BigIntegerField(_("claimed by run"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.JSONField(_("recipients"), default=dict, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-scheduled_for", "submission"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "deadline", "step"], name="one_reminder_per_step"
            ),
        ]
        indexes = [
            # Recovery looks for claimed rows that were never sent.
            models.Index(
                fields=["claim_token"],
                condition=Q(status="claimed"),
                name="reminder_unsent_claims",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.deadline:%d/%m/%Y} {self.step}"
