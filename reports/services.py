"""Workflow steps on rounds and submissions: each checks who may, validates, writes, records.

Views only call these. Every state change goes through `_set_state`, so simple_history keeps
who, when and why for each version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.files import atomic_removing_stored_files
from plans.models import Agency, Plan
from signing.services import verify_pdf
from tasks.models import Task
from workdays.calendar import add_working_days

from . import access
from .completeness import Missing, missing_items
from .models import (
    Contribution,
    Evidence,
    Round,
    StagedUpload,
    Submission,
    TargetReport,
    TaskReport,
    default_period,
)
from .selectors import latest_reports
from .signals import submission_event


class WorkflowError(Exception):
    """A step refused; nothing was written. The message is for the user."""


class ConcurrentEdit(WorkflowError):
    def __init__(self, submission: Submission):
        self.submission = submission
        who = str(submission.updated_by) if submission.updated_by else "?"
        when = timezone.localtime(submission.updated_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            _(
                "%(who)s saved this report at %(when)s while you were editing it, so your save "
                "was refused to keep their changes. Your text is still in the form below: open "
                "the report in a new tab to see their version, then merge and save again."
            )
            % {"who": who, "when": when}
        )


class EvidenceQuotaExceeded(WorkflowError):
    """The evidence of one submission would pass EVIDENCE_MAX_TOTAL_BYTES: the save is refused."""

    def __init__(self, *, total: int, limit: int):
        super().__init__(
            _(
                "Nothing was saved: the evidence files of one report may total at most "
                "%(limit)s, and with these files they would total %(total)s. Attach fewer or "
                "smaller files (a scan at a lower resolution) and save again; your text is kept."
            )
            % {"limit": filesizeformat(limit), "total": filesizeformat(total)}
        )


class NotEditable(WorkflowError):
    def __init__(self, submission: Submission):
        self.submission = submission
        super().__init__(
            _("This report is %(state)s and can no longer be changed by the agency.")
            % {"state": submission.get_state_display().lower()}
        )


class Incomplete(WorkflowError):
    def __init__(self, missing: list[Missing]):
        self.missing = missing
        super().__init__(
            _("The report was saved as a draft but not submitted: %(n)s answer(s) are missing.")
            % {"n": len(missing)}
        )


class RoundClosed(WorkflowError):
    def __init__(self, round_: Round):
        self.round = round_
        super().__init__(
            _(
                "The round “%(round)s” is closed: its reports can no longer be changed. Nothing "
                "was saved. Ask the focal point to reopen the round if a correction is needed."
            )
            % {"round": round_.title}
        )


def _refuse_if_closed(round_: Round) -> None:
    """A closed round takes no more writes, whatever access.py says (see rounds.round_close)."""
    if not round_.is_open:
        raise RoundClosed(round_)


class Invalid(WorkflowError):
    """The model's rules refused the values (see the models' `clean()` and validators)."""

    def __init__(self, error: ValidationError, where: str = ""):
        self.error = error
        text = " ".join(dict.fromkeys(error.messages))
        super().__init__(f"{where}: {text}" if where else text)


def _validate(instance, *, where: str = "", **options) -> None:
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        raise Invalid(exc, where) from None


RESUBMIT_WORKING_DAYS = 5

# What a new round copies from the task's last report (round_open), marked until changed.
CARRIED_FIELDS = ("state", "progress", "completed_on")

# Why a step is refused from the state the report is in (Submission.TRANSITIONS has no row).
REFUSED = {
    Submission.Event.SUBMITTED: gettext_lazy("This report has already been submitted."),
    Submission.Event.RESUBMITTED: gettext_lazy("This report has already been submitted."),
    Submission.Event.RETURNED: gettext_lazy("Only a submitted report can be returned."),
    Submission.Event.ACCEPTED: gettext_lazy("Only a submitted report can be accepted."),
    Submission.Event.REOPENED: gettext_lazy("Only an accepted report can be reopened."),
}


def _set_state(submission: Submission, state: str, *, user: User, reason: str) -> None:
    submission.state = state
    submission._history_user = user
    submission._change_reason = reason


def _transition(submission: Submission, event: str, *, user: User, reason: str = "") -> None:
    """Move the report along its row of Submission.TRANSITIONS, or refuse.

    The history keeps the event as the reason, or the reviewer's words when they gave some.
    """
    if not submission.can(event):
        raise WorkflowError(str(REFUSED[event]))
    to = submission.TRANSITIONS[(submission.state, event)].to
    _set_state(submission, to, user=user, reason=reason or event)


def _announce(submission: Submission, event: str) -> None:
    """Tell whoever listens (the inbox and e-mail, see notifications/receivers.py)."""
    submission_event.send(sender=Submission, submission=submission, event=event)


# --- rounds -----------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    plan: Plan,
    opened_by: User,
    kind: str = Round.Kind.ANNUAL,
    year: int,
    title: str = "",
    due_on: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    scope: Iterable[Task] = (),
    instructions: str = "",
) -> Round:
    """Open a round and create one submission per agency that owes one, resolved through
    succession at the due date: each member of a group on its own, dissolved ones left out."""
    if not access.can_manage_rounds(opened_by, plan):
        raise PermissionDenied
    default_start, default_end = default_period(year)
    if kind == Round.Kind.ANNUAL:
        due_on = due_on or plan.annual_due_date(year)
    scope = list(scope)
    round_ = Round(
        plan=plan,
        kind=kind,
        year=year,
        title=title,
        due_on=due_on,
        period_start=period_start or default_start,
        period_end=period_end or default_end,
        instructions=instructions,
        opened_by=opened_by,
    )
    # A title left empty is made from the due date below, so it is not judged here.
    _validate(round_, exclude=None if title else ["title"])
    try:
        round_.validate_scope(scope)
    except ValidationError as exc:
        raise Invalid(exc) from None
    if not title:
        round_.title = (
            _("Annual report %(year)s") % {"year": year}
            if kind == Round.Kind.ANNUAL
            else _("Ad hoc report due %(date)s") % {"date": due_on.strftime("%d/%m/%Y")}
        )
    round_.save()
    if scope:
        round_.scope.set(scope)
    # A task an amending plan closed before the period began is no longer owed.
    open_tasks = plan.tasks.exclude(closed_on__lt=round_.period_start)
    tasks = scope or list(
        open_tasks.select_related("lead")
        .prefetch_related("co_lead_links__agency", "successors")
        .order_by("position")
    )

    owed: dict[Agency, list[Task]] = {}
    for task in tasks:
        for agency in task.answering_agencies(due_on):
            owed.setdefault(agency, []).append(task)
    targets: dict[Agency, list] = {}
    if not scope:
        for target in plan.targets.select_related("reporting_agency").order_by("position"):
            agency = target.reporting_agency and target.reporting_agency.successor_on(due_on)
            if agency:
                targets.setdefault(agency, []).append(target)
                owed.setdefault(agency, [])

    previous = latest_reports(plan=plan, year=year - 1)  # to start from
    for agency in sorted(owed, key=lambda a: a.name):
        submission = Submission.objects.create(round=round_, agency=agency)
        TaskReport.objects.bulk_create(
            _prefilled(submission, task, position, previous.get(task.pk, []))
            for position, task in enumerate(owed[agency])
        )
        TargetReport.objects.bulk_create(
            TargetReport(submission=submission, target=target, position=position)
            for position, target in enumerate(targets.get(agency, []))
        )
    return round_


def _prefilled(
    submission: Submission, task: Task, position: int, previous: list[TaskReport]
) -> TaskReport:
    """A new round's report starts from the last one: the task's latest, or with several
    leads the agency's own latest (each lead reports its own progress)."""
    if task.co_lead_links.all():
        previous = [r for r in previous if r.submission.agency_id == submission.agency_id]
    last = previous[0] if previous else None
    return TaskReport(
        submission=submission,
        task=task,
        position=position,
        state=last.state if last else "",
        progress=last.progress if last else None,
        completed_on=last.completed_on if last else None,
        carried_over=last is not None,
    )


# --- submissions ----------------------------------------------------------------------------


def _store_evidence(
    submission: Submission, report: TaskReport, upload, user: User, watch
) -> Evidence:
    mime, extension = upload.sniffed
    return _store_content(
        submission, report, upload.read(), upload.name, mime, extension, user, watch
    )


def _store_content(submission, report, content, name, mime, extension, user, watch) -> Evidence:
    evidence = Evidence(
        submission=submission,
        task_report=report,
        original_name=name[:255],
        content_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    watch(evidence.file)
    evidence.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    evidence.save()
    return evidence


def _apply(instance, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


def document_verification(upload) -> dict[str, Any]:
    """The signatures of an uploaded signed document, checked once on upload (signing.verify_pdf
    against SIGNING_TRUST_ROOTS), as stored on the submission. A file that fails is kept: the
    result says so and the pages show it."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    checks = verify_pdf(data)
    return {
        "checked_at": timezone.now().isoformat(),
        "ok": bool(checks) and all(check.ok for check in checks),
        "signed": bool(checks) and not any(check.error and not check.signer for check in checks),
        "signatures": [
            {
                "signer": check.signer,
                "issuer": check.issuer,
                "signing_time": check.signing_time.isoformat() if check.signing_time else None,
                "modified": check.modified,
                "trusted": check.trusted,
                "valid": check.valid,
                "summary": check.summary,
                "error": check.error,
            }
            for check in checks
        ],
    }


def submission_save(
    *,
    submission: Submission,
    user: User,
    version: int,
    fields: dict[str, Any],
    task_rows: dict[int, dict[str, Any]],
    target_rows: dict[int, dict[str, Any]],
    evidence: dict[int, list] | None = None,
    staged: dict[int, list[StagedUpload]] | None = None,
) -> Submission:
    """Save a draft, any part of it. Refused if someone saved since `version` was read.

    Every changed task row is judged by TaskReport's rules first; files stored by a save that
    then fails are removed again. `staged` files (kept from a refused save, see
    `evidence_stage`) become evidence of their task like new uploads.
    """
    with atomic_removing_stored_files() as watch:
        return _submission_save(
            submission=submission,
            user=user,
            version=version,
            fields=fields,
            task_rows=task_rows,
            target_rows=target_rows,
            evidence=evidence or {},
            staged=staged or {},
            watch=watch,
        )


def _refuse_over_quota(submission: Submission, evidence: dict[int, list], staged: dict) -> None:
    """New uploads and the staged files this save attaches count with what is stored."""
    new = sum(upload.size for uploads in evidence.values() for upload in uploads)
    new += sum(
        item.file.size
        for items in staged.values()
        for item in items
        if item.submission_id == submission.pk
    )
    if not new:
        return
    stored = submission.evidence.aggregate(total=Sum("size"))["total"] or 0
    if stored + new > settings.EVIDENCE_MAX_TOTAL_BYTES:
        raise EvidenceQuotaExceeded(total=stored + new, limit=settings.EVIDENCE_MAX_TOTAL_BYTES)


def _submission_save(
    *, submission, user, version, fields, task_rows, target_rows, evidence, staged, watch
) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not access.can_edit_submission(user, locked):
        if locked.agency_id == getattr(user, "agency_id", None):
            _refuse_if_closed(locked.round)
            if not locked.is_editable:
                raise NotEditable(locked)
        raise PermissionDenied
    _refuse_if_closed(locked.round)
    if locked.version != version:
        raise ConcurrentEdit(locked)

    _refuse_over_quota(locked, evidence, staged)

    changed = False  # a save that changes nothing records no version (e.g. the one before submit)
    reports = {r.pk: r for r in locked.task_reports.all()}
    for pk, values in task_rows.items():
        report = reports[pk]  # KeyError = a row of another submission: the view never sends one
        if any(getattr(report, f) != values[f] for f in CARRIED_FIELDS if f in values):
            values = {**values, "carried_over": False}  # changed: no longer last period's
        if _apply(report, values):
            changed = True
            # The row's own rules (clean() does the queries-free checks the constraints make).
            _validate(
                report,
                where=_("Task %(code)s") % {"code": report.task.code},
                exclude=["submission", "task"],
                validate_unique=False,
                validate_constraints=False,
            )
            report._history_user = user
            report.save()
    for pk, upload_list in evidence.items():
        for upload in upload_list:
            _store_evidence(locked, reports[pk], upload, user, watch)
            changed = True
    for pk, staged_list in staged.items():
        for item in staged_list:
            if item.submission_id != locked.pk or item.user_id != user.pk:
                continue  # a token of someone else's save: ignored, never attached
            with item.file.open("rb") as handle:
                content = handle.read()
            _store_content(
                locked,
                reports[pk],
                content,
                item.original_name,
                item.content_type,
                item.extension,
                user,
                watch,
            )
            storage, name = item.file.storage, item.file.name
            item.delete()
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            changed = True
    targets = {r.pk: r for r in locked.target_reports.all()}
    for pk, values in target_rows.items():
        report = targets[pk]
        if _apply(report, values):
            changed = True
            report._history_user = user
            report.save()

    if fields.get("document_file") is False:  # the form's "clear" box: no file, not "False"
        fields = {**fields, "document_file": ""}
    elif "document_file" in fields and fields["document_file"] is None:  # nothing chosen
        fields = {k: v for k, v in fields.items() if k != "document_file"}
    upload = fields.get("document_file")
    replaced = locked.document_file.name if "document_file" in fields else ""
    if isinstance(upload, UploadedFile):
        locked.document_verification = document_verification(upload)
    elif "document_file" in fields and not upload:
        locked.document_verification = {}
    if _apply(locked, fields):
        changed = True
    if not changed:
        return locked
    watch(locked.document_file)
    if locked.state == Submission.State.NOT_STARTED:
        _set_state(locked, Submission.State.DRAFT, user=user, reason="draft saved")
    else:
        locked._history_user = user
        locked._change_reason = "draft saved"
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.updated_by = user
    locked.save()
    if replaced and locked.document_file.name != replaced:
        # A new signed document (or the "clear" box) replaces the file; only the current one
        # can be opened, so the old one goes once the save is committed.
        storage = locked.document_file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return locked


def evidence_stage(
    *, submission: Submission, report: TaskReport, uploads: list, user: User
) -> list[StagedUpload]:
    """Keep the files chosen in a save that was refused, so the user need not choose them again;
    the next successful save attaches them (submission_save's `staged`)."""
    if not access.can_edit_submission(user, submission) or report.submission_id != submission.pk:
        raise PermissionDenied
    stored = []
    with atomic_removing_stored_files() as watch:
        for upload in uploads:
            mime, extension = upload.sniffed
            item = StagedUpload(
                user=user,
                submission=submission,
                task_report=report,
                original_name=upload.name[:255],
                content_type=mime,
                extension=extension,
            )
            watch(item.file)
            upload.seek(0)
            item.file.save(
                f"{uuid.uuid4().hex}.{extension}", ContentFile(upload.read()), save=False
            )
            item.save()
            stored.append(item)
    return stored


def staged_uploads_for(
    *, submission: Submission, user: User, tokens: dict[int, list[str]]
) -> dict[int, list[StagedUpload]]:
    """The staged files a form carries back (task report pk → tokens), the user's own only."""
    wanted = [t for values in tokens.values() for t in values]
    valid = []
    for token in wanted:
        try:
            valid.append(uuid.UUID(token))
        except ValueError:
            continue
    found = StagedUpload.objects.filter(token__in=valid, submission=submission, user=user)
    result: dict[int, list[StagedUpload]] = {}
    for item in found.order_by("created_at"):
        if str(item.token) in tokens.get(item.task_report_id, ()):
            result.setdefault(item.task_report_id, []).append(item)
    return result


def staged_uploads_clean(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete files staged by a refused save that no later save came to claim."""
    old = StagedUpload.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for item in old:
        storage, name = item.file.storage, item.file.name
        item.delete()
        storage.delete(name)
        count += 1
    return count


@transaction.atomic
def submission_mark_ready(*, submission: Submission, user: User) -> Submission:
    """An officer tells the head the draft is ready for approval (the head then submits it).
    A second click changes nothing and tells nobody again."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    event = Submission.Event.READY
    if locked.agency_id == getattr(user, "agency_id", None):
        _refuse_if_closed(locked.round)
    if not access.may_take(user, locked, event):
        if access.can_edit_submission(user, locked):
            raise WorkflowError(_("Only an officer marks the draft ready for the head."))
        raise PermissionDenied
    if not locked.can(event):
        raise WorkflowError(_("Save the draft before marking it ready for the head."))
    if locked.ready_at:
        return locked
    _transition(locked, event, user=user)
    locked.ready_at, locked.ready_by = timezone.now(), user
    locked.version += 1
    locked.save()
    _announce(locked, event)
    return locked


@transaction.atomic
def submission_submit(*, submission: Submission, user: User) -> Submission:
    """The head gives the agency's word. A second click finds it submitted and changes nothing."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.is_submitted:
        return locked
    if locked.agency_id == getattr(user, "agency_id", None):
        _refuse_if_closed(locked.round)
    has_head = access.agency_has_head(locked)
    if not access.can_submit_submission(user, locked, has_head=has_head):
        if access.can_edit_submission(user, locked):
            raise WorkflowError(_("Only the agency's head can submit the report."))
        raise PermissionDenied
    missing = missing_items(
        Submission.objects.prefetch_related("task_reports__task", "target_reports__target").get(
            pk=locked.pk
        )
    )
    if missing:
        raise Incomplete(missing)
    event = locked.submit_event
    _transition(locked, event, user=user)
    locked.ready_at = locked.ready_by = None
    now = timezone.now()
    locked.submitted_at = now
    locked.first_submitted_at = locked.first_submitted_at or now
    locked.submitted_by = user
    locked.version += 1
    locked.save()
    _announce(locked, event)
    return locked


def _send_back(locked: Submission, *, user: User, text: str, event: str) -> Submission:
    """Hand a report back to its agency (returned or reopened), due again in 5 working days."""
    _transition(locked, event, user=user, reason=text.strip())
    locked.return_comment = text.strip()
    locked.returned_at = timezone.now()
    locked.resubmit_due_on = add_working_days(timezone.localdate(), RESUBMIT_WORKING_DAYS)
    locked.version += 1
    locked.save()
    _announce(locked, event)
    return locked


@transaction.atomic
def submission_return(
    *, submission: Submission, user: User, comment: str, task_comments: dict[int, str] | None = None
) -> Submission:
    """The focal point sends a report back for correction, saying why."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not access.may_take(user, locked, Submission.Event.RETURNED):
        raise PermissionDenied
    if not locked.can(Submission.Event.RETURNED):
        raise WorkflowError(str(REFUSED[Submission.Event.RETURNED]))
    if not comment.strip():
        raise WorkflowError(_("Say what must be corrected: a comment is required."))
    for report in locked.task_reports.all():
        text = (task_comments or {}).get(report.pk, "").strip()
        if report.review_comment != text:
            report.review_comment = text
            report._history_user = user
            report.save()
    return _send_back(locked, user=user, text=comment, event=Submission.Event.RETURNED)


@transaction.atomic
def submission_accept(*, submission: Submission, user: User) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not access.may_take(user, locked, Submission.Event.ACCEPTED):
        raise PermissionDenied
    _transition(locked, Submission.Event.ACCEPTED, user=user)
    locked.accepted_at = timezone.now()
    locked.version += 1
    locked.save()
    _announce(locked, Submission.Event.ACCEPTED)
    return locked


@transaction.atomic
def submission_reopen(*, submission: Submission, user: User, reason: str) -> Submission:
    """Accepted means locked; only the focal point reopens it, and says why."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not access.may_take(user, locked, Submission.Event.REOPENED):
        raise PermissionDenied
    if not locked.can(Submission.Event.REOPENED):
        raise WorkflowError(str(REFUSED[Submission.Event.REOPENED]))
    if not reason.strip():
        raise WorkflowError(_("Give the reason for reopening an accepted report."))
    locked.accepted_at = None
    return _send_back(locked, user=user, text=reason, event=Submission.Event.REOPENED)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    submission = Submission.objects.select_for_update().get(pk=evidence.submission_id)
    if submission.agency_id == getattr(user, "agency_id", None):
        _refuse_if_closed(submission.round)
    if not access.can_edit_submission(user, submission):
        raise PermissionDenied
    # The file goes only once the row is gone for good: a rollback keeps both.
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def contribution_save(*, round_: Round, task: Task, user: User, text: str) -> Contribution:
    """A coordinating agency's note on a task it helps with, shown to the lead."""
    if not access.can_contribute(user, round_, task):
        raise PermissionDenied
    # Read under a lock: closing the round waits for this save, or this save sees it closed.
    _refuse_if_closed(Round.objects.select_for_update().get(pk=round_.pk))
    if not text.strip():
        raise WorkflowError(_("Write the contribution before saving."))
    contribution, _created = Contribution.objects.update_or_create(
        round=round_, task=task, agency=user.agency, defaults={"text": text, "updated_by": user}
    )
    return contribution
