"""Celery interface of the reminders: the daily job the beat schedule starts at 08:00.

The task only parses its argument and calls the service. It is safe to deliver twice, to
retry, and to redeliver after a worker died mid-batch (acks_late with reject_on_worker_lost
from the settings): every step is claimed in the database before it is sent, and claims left
behind by a dead run are taken over by the next one (reminders/services.py explains how).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .services import reminders_send


@shared_task(
    acks_late=True,
    # SMTP or network trouble: the claims were released as failed, so a retry takes them over.
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    max_retries=5,
)
def send_daily_reminders(today: str | None = None) -> dict[str, int]:
    day = dt.date.fromisoformat(today) if today else None
    return reminders_send(today=day).as_dict()
