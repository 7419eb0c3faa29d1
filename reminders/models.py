"""Deadline reminders: what was sent, step by step."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
