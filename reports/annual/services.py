"""Workflow steps of the consolidated report: save the focal point's text, ask for a file, build
it. Views and the Celery task call these and nothing else."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from reports.models import Round
from reports.services import WorkflowError

from . import access
from .build import FORMATS, build
from .content import built_from, gather
from .models import AnnualReport, ReportSnapshot

logger = logging.getLogger(__name__)

# A build still "running" after this long lost its worker (killed, redeployed): a retry of the
# task may claim it again. Longer than CELERY_TASK_TIME_LIMIT, so a live build is never stolen.
STALE_AFTER = dt.timedelta(minutes=20)

EDITABLE_FIELDS = (
    "number",
    "issued_on",
    "place",
    "parent_body",
    "addressee",
    "subject",
    "signer_authority",
    "signer_name",
    "recipients",
    "overall_assessment",
    "limitations",
    "proposals",
)


def report_get_or_create(*, round_: Round) -> AnnualReport:
    report, _created = AnnualReport.objects.select_related(
        "round__plan__focal_agency"
    ).get_or_create(round=round_)
    return report


@transaction.atomic
def report_save(*, round_: Round, user: User, fields: dict[str, Any]) -> AnnualReport:
    """The focal point's own text and the document's header fields."""
    if not access.can_edit_report(user, round_):
        raise PermissionDenied
    report_get_or_create(round_=round_)
    report = AnnualReport.objects.select_for_update().get(round=round_)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(report, name, fields[name])
    report.updated_at = timezone.now()
    report.updated_by = user
    report.save()
    return report


@transaction.atomic
def report_generate(*, report: AnnualReport, fmt: str, user: User) -> ReportSnapshot:
    """Ask for a file of the report; a Celery task builds it once this is committed.

    A second click while the same format is still being built gets that snapshot back."""
    round_ = report.round
    if not access.can_edit_report(user, round_):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise WorkflowError(_("Unknown file format."))
    AnnualReport.objects.select_for_update().get(pk=report.pk)  # one request at a time
    waiting = report.snapshots.filter(
        format=fmt, state__in=[ReportSnapshot.State.PENDING, ReportSnapshot.State.RUNNING]
    ).first()
    if waiting:
        return waiting
    snapshot = ReportSnapshot.objects.create(
        report=report,
        format=fmt,
        created_by=user,
        built_from=built_from(round_.plan, round_.year),
    )
    from .tasks import build_snapshot

    transaction.on_commit(lambda: build_snapshot.delay(snapshot.pk))
    return snapshot


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
