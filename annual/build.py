"""Building a report file: gathered content to bytes, whatever the format, and the worker
step that builds a requested snapshot exactly once (`snapshot_build`, run by the Celery task)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from .content import ReportContent, gather
from .models import ReportSnapshot

logger = logging.getLogger(__name__)

# A build still "running" after this long lost its worker (killed, redeployed): a retry of the
# task may claim it again. Longer than CELERY_TASK_TIME_LIMIT, so a live build is never stolen.
# A build whose worker process ran on this host and is gone is taken over at once (owner_gone).
STALE_AFTER = dt.timedelta(minutes=20)
# A build whose worker was killed this many times (the out-of-memory killer, each time) ends as
# failed: the page offers to generate it again, instead of the file being tried forever.
MAX_ATTEMPTS = 3

FORMATS = ("pdf", "docx", "xlsx")


@dataclass
class Built:
    data: bytes
    pages: int | None = None  # PDF only
    signature_place: tuple | None = None  # PDF only: (page index, box) of the signature


def build(fmt: str, content: ReportContent) -> Built:
    if fmt == "pdf":
        from .pdf import build_pdf

        pdf = build_pdf(content)
        return Built(pdf.data, pdf.pages, pdf.signature_place)
    if fmt == "docx":
        from .docx import build_docx

        return Built(build_docx(content))
    if fmt == "xlsx":
        from .xlsx import build_xlsx

        return Built(build_xlsx(content))
    raise ValueError(f"unknown format {fmt!r}")


def _progress(snapshot: ReportSnapshot, value: int) -> None:
    # A plain UPDATE, committed at once in the worker, so the polling page sees it.
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(progress=value)


def _process_start(pid: int) -> str:
    """When the process started (clock ticks since boot, /proc/PID/stat field 22), so a pid
    reused by another process is not taken for the owner; '' when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def current_owner() -> str:
    """'host:pid:start' of this process: recorded on the snapshot it builds."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start(pid)}"


def owner_gone(owner: str) -> bool:
    """The build's process ran on this host and no longer exists (SIGKILL, out of memory, the
    worker killed). A process on another host cannot be seen: STALE_AFTER decides for those."""
    host, _sep, rest = owner.partition(":")
    pid, _sep, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit() or not start:
        return False
    return _process_start(int(pid)) != start


def _fail(snapshot_id: int, error: str) -> None:
    ReportSnapshot.objects.filter(pk=snapshot_id).update(
        state=ReportSnapshot.State.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def _lost(state: str, owner: str, started_at, now) -> bool:
    return state == ReportSnapshot.State.RUNNING and (
        owner_gone(owner) or (started_at is not None and started_at < now - STALE_AFTER)
    )


def snapshot_build(snapshot_id: int, *, today: dt.date | None = None) -> ReportSnapshot:
    """Build the file of a pending snapshot. Safe to run twice: only the run that claims the
    row (one conditional UPDATE) builds; a done snapshot is never rebuilt or changed. A build
    whose process is gone (a redelivered task after SIGKILL) is claimed again, up to
    MAX_ATTEMPTS; then it ends as failed."""
    now = timezone.now()
    rows = ReportSnapshot.objects.filter(pk=snapshot_id)
    claimable = Q(state=ReportSnapshot.State.PENDING)
    seen = rows.values_list("state", "owner", "started_at").first()
    if seen and _lost(*seen, now):
        claimable |= Q(state=ReportSnapshot.State.RUNNING, owner=seen[1], started_at=seen[2])
    claimed = rows.filter(claimable).update(
        state=ReportSnapshot.State.RUNNING,
        started_at=now,
        progress=10,
        error="",
        owner=current_owner(),
        attempts=F("attempts") + 1,
    )
    snapshot = ReportSnapshot.objects.select_related("report__round__plan__focal_agency").get(
        pk=snapshot_id
    )
    if not claimed:
        return snapshot
    if snapshot.attempts > MAX_ATTEMPTS:
        _fail(snapshot_id, f"Worker lost {MAX_ATTEMPTS} times while building (out of memory?).")
        snapshot.refresh_from_db()
        return snapshot
    try:
        content = gather(snapshot.report, today=today)
        _progress(snapshot, 50)
        built = build(snapshot.format, content)
        _progress(snapshot, 90)
        snapshot.file.save(f"report.{snapshot.format}", ContentFile(built.data), save=False)
        snapshot.sha256 = hashlib.sha256(built.data).hexdigest()
        snapshot.size = len(built.data)
        snapshot.pages = built.pages
        snapshot.signature_place = built.signature_place
        snapshot.draft = content.is_draft  # the file says DỰ THẢO; so does its row
        snapshot.built_from = content.built_from  # what was actually read, at build time
        snapshot.state = ReportSnapshot.State.DONE
        snapshot.progress = 100
        snapshot.finished_at = timezone.now()
        snapshot.save()
    except Exception as exc:
        logger.exception("Report snapshot %s failed", snapshot_id)
        _fail(snapshot_id, f"{type(exc).__name__}: {exc}")
        snapshot.refresh_from_db()
    return snapshot


def snapshots_recover() -> list[int]:
    """Builds whose worker is gone with no task left to finish them (the whole worker killed:
    its message comes back only after the broker's visibility timeout): each is put back to
    pending and its id returned, to be queued again; one lost MAX_ATTEMPTS times ends as
    failed. Run when a worker starts and every few minutes (annual.tasks)."""
    now, queued = timezone.now(), []
    running = ReportSnapshot.objects.filter(state=ReportSnapshot.State.RUNNING)
    for pk, state, owner, started_at, attempts in running.values_list(
        "pk", "state", "owner", "started_at", "attempts"
    ):
        if not _lost(state, owner, started_at, now):
            continue
        same = ReportSnapshot.objects.filter(pk=pk, state=state, owner=owner, started_at=started_at)
        if attempts >= MAX_ATTEMPTS:
            if same.update(
                state=ReportSnapshot.State.FAILED,
                error=f"Worker lost {attempts} times while building (out of memory?).",
                finished_at=now,
            ):
                logger.warning("Report snapshot %s failed: its worker was lost", pk)
            continue
        if same.update(state=ReportSnapshot.State.PENDING, progress=0):
            logger.warning("Report snapshot %s lost its worker; queued again", pk)
            queued.append(pk)
    return queued
