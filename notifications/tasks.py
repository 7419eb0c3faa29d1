from celery import shared_task

from .services import notifications_send


@shared_task(acks_late=True)
def notify_submission_event(submission_id: int, event: str, version: int) -> int:
    return notifications_send(submission_id=submission_id, event=event, version=version)
