"""Workflow notifications: an inbox entry and an e-mail per recipient, each sent once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from reports.models import Submission

from .models import Notification

Event = Submission.Event
TO_FOCAL_POINT = (Event.SUBMITTED, Event.RESUBMITTED)
TO_AGENCY = (Event.RETURNED, Event.ACCEPTED, Event.REOPENED)
TO_HEAD = (Event.READY,)
EVENTS = TO_FOCAL_POINT + TO_AGENCY + TO_HEAD  # each has its templates notifications/email/<event>*


def recipients(submission: Submission, event: str) -> list[User]:
    users = User.objects.filter(is_active=True)
    if event in TO_FOCAL_POINT:
        users = users.filter(role=User.Role.REVIEWER, agency=submission.round.plan.focal_agency_id)
    elif event in TO_HEAD:
        users = users.filter(agency=submission.agency_id, role=User.Role.HEAD)
    else:
        users = users.filter(
            agency=submission.agency_id, role__in=[User.Role.OFFICER, User.Role.HEAD]
        )
    return list(users.order_by("pk"))


def notifications_send(*, submission_id: int, event: str, version: int) -> int:
    """Notify everyone concerned by one workflow step. Safe to run twice: the key
    (submission, event, version, user) is claimed before the e-mail goes out."""
    if event not in EVENTS:
        raise ValueError(event)
    submission = Submission.objects.select_related("round__plan", "agency").get(pk=submission_id)
    path = reverse(
        "reports:review" if event in TO_FOCAL_POINT else "reports:submission",
        args=[submission.pk],
    )
    context = {
        "submission": submission,
        "event": event,
        "url": settings.SITE_URL.rstrip("/") + path,
    }
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        # One line: a title typed with a line break must not break the mail header.
        subject = " ".join(
            render_to_string(f"notifications/email/{event}_subject.txt", context).split()
        )
        text = render_to_string(f"notifications/email/{event}.txt", context)
        html = render_to_string(f"notifications/email/{event}.html", context)
    connection = get_connection()
    with connection:
        for user in recipients(submission, event):
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        user=user,
                        submission=submission,
                        kind=event,
                        subject=subject,
                        body=text,
                        url=path,
                        key=f"{submission.pk}:{event}:{version}:{user.pk}",
                    )
            except IntegrityError:
                continue  # already notified by an earlier run of this task
            if user.email:
                message = EmailMultiAlternatives(
                    subject, text, to=[user.email], connection=connection
                )
                message.attach_alternative(html, "text/html")
                message.send()
            sent += 1
    return sent
