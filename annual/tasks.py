from celery import shared_task
from celery.signals import worker_ready

from .build import snapshot_build, snapshots_recover

__all__ = ["build_snapshot", "recover_snapshots"]


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_snapshot(snapshot_id: int) -> str:
    """Build one report file; queued on commit by services.report_generate. If the process is
    killed, the message goes back to the queue and the next run takes the build over."""
    return snapshot_build(snapshot_id).state


@shared_task
def recover_snapshots() -> int:
    """Queue again the builds whose worker is gone (snapshots_recover); every few minutes."""
    ids = snapshots_recover()
    for snapshot_id in ids:
        build_snapshot.delay(snapshot_id)
    return len(ids)


@worker_ready.connect
def _recover_on_start(sender=None, **kwargs) -> None:
    """A worker started again after the whole worker was killed finishes its builds now,
    not after the broker's visibility timeout (an hour by default)."""
    recover_snapshots.delay()
