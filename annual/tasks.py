from celery import shared_task

from .build import snapshot_build

__all__ = ["build_snapshot"]


@shared_task(acks_late=True)
def build_snapshot(snapshot_id: int) -> str:
    """Build one report file; queued on commit by services.report_generate."""
    return snapshot_build(snapshot_id).state
