"""Workflow events → notifications, queued once the step is committed, never before."""

from django.db import transaction
from django.dispatch import receiver

from reports.signals import submission_event

from .tasks import notify_submission_event


@receiver(submission_event, dispatch_uid="notifications.queue_submission_event")
def queue_submission_event(sender, submission, event, **kwargs):
    pk, version = submission.pk, submission.version
    transaction.on_commit(lambda: notify_submission_event.delay(pk, str(event), version))
