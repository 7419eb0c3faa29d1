"""Housekeeping of the reports app; each task only calls a service and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def clean_staged_uploads() -> int:
    return services.staged_uploads_clean()
