"""A report sent, returned, accepted or reopened moves its plan's figures: derive them again in
a worker once the step is committed, so the next visitor to the dashboard need not."""

from django.db import transaction
from django.dispatch import receiver

from reports.models import Submission
from reports.signals import submission_event

from .tasks import warm_figures

MOVES_FIGURES = {
    Submission.Event.SUBMITTED,
    Submission.Event.RESUBMITTED,
    Submission.Event.RETURNED,
    Submission.Event.ACCEPTED,
    Submission.Event.REOPENED,
}


@receiver(submission_event, dispatch_uid="dashboard.warm_figures")
def queue_figures_warm(sender, submission, event, **kwargs):
    if event in MOVES_FIGURES:
        round_id = submission.round_id  # no query here: the worker finds the plan
        # robust: the step is committed; a broker that is down costs a cold first visit, not
        # an error page for the reviewer.
        transaction.on_commit(lambda: warm_figures.delay(round_ids=[round_id]), robust=True)
