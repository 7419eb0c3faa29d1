"""Workflow steps of the consolidated report: save the focal point's text, ask for a file.
Views call these; the file itself is built by `build.snapshot_build` in a Celery task."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from reports.models import Round
from reports.services import WorkflowError
from signing.models import SigningCertificate
from signing.services import sign_pdf

from . import access
from .build import FORMATS
from .content import built_from
from .models import AnnualReport, ReportSnapshot, header_defaults
from .tasks import build_snapshot

EDITABLE_FIELDS = (
    "number",
    "issued_on",
    "place",
    "parent_body",
    "addressee",
    "subject",
    "signer_authority",
    "signer_name",
    "filing_division",
    "recipients",
    "overall_assessment",
    "limitations",
    "next_tasks",
    "proposals",
)


def report_get_or_create(*, round_: Round) -> AnnualReport:
    report, _created = AnnualReport.objects.select_related(
        "round__plan__focal_agency"
    ).get_or_create(round=round_, defaults=header_defaults(round_.plan))
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
    transaction.on_commit(lambda: build_snapshot.delay(snapshot.pk))
    return snapshot


def snapshot_sign(*, snapshot: ReportSnapshot, user: User, password: str) -> ReportSnapshot:
    """Sign a finished PDF snapshot with the focal agency's stored certificate (the password is
    typed for this signing and never stored). The signed file is a snapshot of its own, linked
    to the one it was made from (`signed_from`), with its own hash: the report is not rebuilt,
    the signature is appended to the stored bytes."""
    report = snapshot.report
    round_ = report.round
    if not access.can_edit_report(user, round_):
        raise PermissionDenied
    if not snapshot.can_be_signed:
        if snapshot.draft:
            raise WorkflowError(_("This file is a draft (DỰ THẢO): complete the report first."))
        raise WorkflowError(_("Only a finished, unsigned PDF file can be signed."))
    agency = round_.plan.focal_agency
    certificate = SigningCertificate.objects.filter(agency=agency).first()
    if certificate is None:
        raise WorkflowError(_("%(agency)s has no signing certificate.") % {"agency": agency})
    with snapshot.file.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != snapshot.sha256:
        raise WorkflowError(_("The stored file does not match its hash; it is not signed."))
    page, box = snapshot.signature_place or (None, None)
    try:
        signed = sign_pdf(
            data,
            certificate=certificate,
            password=password,
            page=page,
            box=tuple(box) if box else None,
        )
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None
    with transaction.atomic():
        copy = ReportSnapshot(
            report=report,
            format=ReportSnapshot.Format.PDF,
            state=ReportSnapshot.State.DONE,
            progress=100,
            created_by=user,
            started_at=timezone.now(),
            finished_at=timezone.now(),
            pages=snapshot.pages,
            built_from=snapshot.built_from,
            signature_place=snapshot.signature_place,
            signed_from=snapshot,
            signed_at=signed.signed_at,
            signed_by=user,
            signature_level=signed.level,
            sha256=hashlib.sha256(signed.content).hexdigest(),
            size=len(signed.content),
        )
        copy.file.save("signed.pdf", ContentFile(signed.content), save=False)
        copy.save()
    return copy
