from celery import shared_task

from .mail import invitation_deliver


@shared_task(acks_late=True)
def send_invitation(invitation_id: int) -> bool:
    return invitation_deliver(invitation_id=invitation_id)
