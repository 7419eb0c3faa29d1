"""Celery interface: the yearly beat entry keeps the calendar filled five years ahead."""

from celery import shared_task

from .services import coming_years, holidays_fill


@shared_task(acks_late=True)
def fill_coming_holidays() -> int:
    return holidays_fill(coming_years())
