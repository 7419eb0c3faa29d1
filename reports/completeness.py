"""What a submission still lacks before it can be submitted (also quoted in reminders)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tasks.models import ImplementationState

from .models import Submission


@dataclass(frozen=True)
class Missing:
    field: str  # the form field's HTML name prefix, so the page can point at it
    message: str


def missing_items(submission: Submission) -> list[Missing]:
    """Every answer a complete submission needs and this one lacks, in page order.

    Works on saved rows; call it with prefetched task_reports/target_reports to keep queries flat.
    """
    missing: list[Missing] = []
    for report in submission.task_reports.all():
        code = report.task.code
        key = f"task-{report.pk}"
        if not report.state:
            missing.append(
                Missing(
                    f"{key}-state",
                    _("Task %(code)s: choose its implementation status.") % {"code": code},
                )
            )
            continue
        if report.state == ImplementationState.DONE and not report.completed_on:
            missing.append(
                Missing(
                    f"{key}-completed_on",
                    _("Task %(code)s: give the completion date.") % {"code": code},
                )
            )
        if report.state == ImplementationState.IN_PROGRESS and report.progress is None:
            missing.append(
                Missing(
                    f"{key}-progress", _("Task %(code)s: give the progress in %%.") % {"code": code}
                )
            )
        if report.state == ImplementationState.NOT_STARTED:
            # A task not started has no results to describe: the reason it has not started is
            # what the agency owes (written under its difficulties).
            if not report.difficulties.strip() and not report.results.strip():
                missing.append(
                    Missing(
                        f"{key}-difficulties",
                        _("Task %(code)s: say why it has not started yet.") % {"code": code},
                    )
                )
        elif not report.results.strip():
            missing.append(
                Missing(
                    f"{key}-results",
                    _("Task %(code)s: describe the results achieved.") % {"code": code},
                )
            )
    for report in submission.target_reports.all():
        code = report.target.code
        key = f"target-{report.pk}"
        if report.target.is_qualitative:
            if not report.note.strip():
                missing.append(
                    Missing(
                        f"{key}-note", _("Target %(code)s: give your assessment.") % {"code": code}
                    )
                )
        elif report.actual is None and not report.note.strip():
            missing.append(
                Missing(
                    f"{key}-actual",
                    _(
                        "Target %(code)s: give the actual value, or explain in the "
                        "assessment why it is not available."
                    )
                    % {"code": code},
                )
            )
    if not submission.overall_assessment.strip():
        missing.append(Missing("overall_assessment", _("Give the overall assessment.")))
    return missing
