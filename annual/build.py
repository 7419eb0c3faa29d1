"""Building a report file: gathered content to bytes, whatever the format, and the worker
step that builds a requested snapshot exactly once (`snapshot_build`, run by the Celery task)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from .content import ReportContent, gather
from .models import ReportSnapshot

logger = logging.getLogger(__name__)

# A build still "running" after this long lost its worker (killed, redeployed): a retry of the
# task may claim it again. Longer than CELERY_TASK_TIME_LIMIT, so a live build is never stolen.
STALE_AFTER = dt.timedelta(minutes=20)

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


def snapshot_build(snapshot_id: int, *, today: dt.date | None = None) -> ReportSnapshot:
    """Build the file of a pending snapshot. Safe to run twice: only the run that claims the
    row (one conditional UPDATE) builds; a done snapshot is never rebuilt or changed."""
    now = timezone.now()
    claimed = (
        ReportSnapshot.objects.filter(pk=snapshot_id)
        .filter(
            Q(state=ReportSnapshot.State.PENDING)
            | Q(state=ReportSnapshot.State.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        .update(state=ReportSnapshot.State.RUNNING, started_at=now, progress=10, error="")
    )
    snapshot = ReportSnapshot.objects.select_related("report__round__plan__focal_agency").get(
        pk=snapshot_id
    )
    if not claimed:
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
        ReportSnapshot.objects.filter(pk=snapshot_id).update(
            state=ReportSnapshot.State.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        snapshot.refresh_from_db()
    return snapshot
