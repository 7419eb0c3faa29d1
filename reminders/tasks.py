"""Celery interface of the reminders: the daily job the beat schedule starts at 08:00.

The daily task plans nothing itself: it queues one batch per province with candidates (and one
for the national plans), so several workers share the run; each batch calls the service for its
province over one SMTP connection. Both are safe to deliver twice, to retry, and to redeliver
after a worker died mid-batch (acks_late with reject_on_worker_lost from the settings): every
step is claimed in the database before it is sent, and claims left behind by a dead run are
taken over by the next one (reminders/services.py explains how).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services import reminder_provinces, reminders_send


@shared_task(acks_late=True)
def send_daily_reminders(today: str | None = None) -> dict[str, int]:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    provinces = reminder_provinces(today=day)
    for province_id in provinces:  # the day is fixed here: a batch run after midnight keeps it
        send_reminder_batch.delay(day.isoformat(), province_id)
    return {"batches": len(provinces)}


@shared_task(
    acks_late=True,
    # SMTP or network trouble: the claims were released as failed, so a retry takes them over.
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    max_retries=5,
)
def send_reminder_batch(today: str, province_id: int | None) -> dict[str, int]:
    """One province's reminders (None: the national plans')."""
    return reminders_send(today=dt.date.fromisoformat(today), province_id=province_id).as_dict()
