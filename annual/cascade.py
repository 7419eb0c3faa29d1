"""A lower plan's consolidated report, received as a submission in the higher plan's round.

The province's focal point has accepted its agencies' reports and generated the consolidated
report; `report_send_up` turns it into the province's answer in the ministry's round: one row
per task of the higher plan, combined from the lower tasks that implement it (`Task.higher_task`),
the consolidated report's PDF as the submission's document, then submitted through the usual
workflow — so the ministry reviews, returns or accepts it, and reminders chase it, like any other
report (docs/domain.md, "Cascading plans").
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from reports import access as reports_access
from reports import services as reports
from reports.models import Round, Submission, TaskReport
from tasks.models import ImplementationState

from .models import AnnualReport, ReportSnapshot


def higher_round_for(round_: Round) -> Round | None:
    """The open round of the higher plan for the same year (annual first)."""
    higher = round_.plan.higher_plan
    if higher is None:
        return None
    rounds = [
        r for r in higher.rounds.filter(year=round_.year).order_by("kind", "-pk") if r.is_open
    ]
    return rounds[0] if rounds else None


def _answering_submission(round_: Round, higher_round: Round) -> Submission | None:
    ids = reports_access.answering_agency_ids(round_.plan)
    return (
        higher_round.submissions.filter(agency_id__in=ids).select_related("agency", "round").first()
    )


def _latest_pdf(report: AnnualReport) -> ReportSnapshot | None:
    """The signed PDF if there is one, else the newest finished complete PDF."""
    pdfs = report.snapshots.filter(
        format=ReportSnapshot.Format.PDF, state=ReportSnapshot.State.DONE
    )
    return (
        pdfs.filter(signed_from__isnull=False).order_by("-created_at").first()
        or pdfs.filter(draft=False).order_by("-created_at").first()
    )


def _rows(submission: Submission, round_: Round) -> dict[int, dict]:
    """One row per higher task: done when every lower task is, in progress when any moved."""
    higher_reports = list(submission.task_reports.select_related("task"))
    lower = defaultdict(list)
    accepted = TaskReport.objects.filter(
        submission__round=round_,
        submission__state=Submission.State.ACCEPTED,
        task__higher_task__in=[r.task_id for r in higher_reports],
    ).select_related("task", "submission__agency")
    for report in accepted.order_by("task__position", "submission__agency__name"):
        lower[report.task.higher_task_id].append(report)
    rows = {}
    for higher in higher_reports:
        found = lower.get(higher.task_id, [])
        lines = [
            f"{r.task.code} ({r.submission.agency}): {r.results.strip() or r.get_state_display()}"
            for r in found
        ]
        if found and all(r.state == ImplementationState.DONE for r in found):
            state = ImplementationState.DONE
            completed = max((r.completed_on for r in found if r.completed_on), default=None)
            row = {"state": state, "progress": 100, "completed_on": completed}
        elif any(r.state != ImplementationState.NOT_STARTED for r in found):
            progress = round(sum(r.progress or 0 for r in found) / len(found))
            row = {"state": ImplementationState.IN_PROGRESS, "progress": progress}
        else:
            row = {"state": ImplementationState.NOT_STARTED, "progress": None}
        if not found:
            row["difficulties"] = _("No task of the plan carries this out yet.")
        row["results"] = "\n".join(lines)
        row["difficulties"] = row.get("difficulties") or "\n".join(
            f"{r.task.code}: {r.difficulties.strip()}" for r in found if r.difficulties.strip()
        )
        rows[higher.pk] = row
    return rows


@transaction.atomic
def report_send_up(*, report: AnnualReport, user: User) -> Submission:
    """Send the consolidated report of `report.round` up as the answer in the higher plan's
    round. Refused with a message when there is nowhere to send it or it was already sent."""
    round_ = report.round
    plan = round_.plan
    if not user.is_focal_for(plan):
        raise PermissionDenied
    if plan.higher_plan_id is None:
        raise ValidationError(
            _("This plan implements no higher plan: there is nowhere to send it.")
        )
    higher_round = higher_round_for(round_)
    if higher_round is None:
        raise ValidationError(
            _("The higher plan (%(plan)s) has no open round for %(year)s.")
            % {"plan": plan.higher_plan, "year": round_.year}
        )
    submission = _answering_submission(round_, higher_round)
    if submission is None:
        raise ValidationError(
            _("The round %(round)s does not ask %(agency)s for a report.")
            % {
                "round": higher_round,
                "agency": plan.issuer_on(timezone.localdate()) or plan.focal_agency,
            }
        )
    if not reports_access.sends_up_for(user, submission):
        raise PermissionDenied
    if not reports_access.can_edit_submission(user, submission):
        raise ValidationError(
            _("The report in %(round)s has already been sent (%(state)s).")
            % {"round": higher_round, "state": submission.get_state_display()}
        )
    pdf = _latest_pdf(report)
    if pdf is None:
        raise ValidationError(_("Generate the consolidated report as a complete PDF first."))
    with pdf.file.open("rb") as handle:
        # As an upload, so the signature on a signed PDF is checked like any agency's document.
        document = SimpleUploadedFile(pdf.download_name, handle.read(), "application/pdf")
    submission = reports.submission_save(
        submission=submission,
        user=user,
        version=submission.version,
        fields={
            "overall_assessment": report.overall_assessment.strip()
            or _("Consolidated report of %(plan)s, %(year)s: see the attached document.")
            % {"plan": plan, "year": round_.year},
            "difficulties": report.limitations,
            "proposals": report.proposals,
            "document_file": document,
        },
        task_rows=_rows(submission, round_),
        target_rows={},
    )
    return reports.submission_submit(submission=submission, user=user)
