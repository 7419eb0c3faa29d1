"""What the reviewer reads: last year's answers beside this year's, and what changed since the
version that was returned, field by field."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Round, Submission, TargetReport, TaskReport

TASK_FIELDS = ["state", "progress", "completed_on", "results", "difficulties"]
TARGET_FIELDS = ["actual", "source", "note"]
SUBMISSION_FIELDS = [
    "overall_assessment",
    "difficulties",
    "proposals",
    "document_number",
    "document_date",
]


def previous_submission(submission: Submission) -> Submission | None:
    """The same agency's (or its predecessors') report in last year's annual round."""
    agencies = [submission.agency_id, *submission.agency.predecessors.values_list("pk", flat=True)]
    return (
        Submission.objects.filter(
            round__plan=submission.round.plan_id,
            round__kind=Round.Kind.ANNUAL,
            round__year=submission.round.year - 1,
            agency__in=agencies,
        )
        .prefetch_related("task_reports", "target_reports")
        .first()
    )


def word_diff(old: str, new: str) -> SafeString:
    """Old and new text with removed words in <del> and added words in <ins>."""
    a, b = str(old or "").split(), str(new or "").split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every piece is escaped above


@dataclass
class Change:
    where: str
    field: str
    old: object
    new: object

    @property
    def html(self) -> SafeString:
        return word_diff(_display(self.old), _display(self.new))


def _display(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _compare(where: str, model, fields: list[str], old, new) -> list[Change]:
    changes = []
    for name in fields:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if (before or None) != (after or None):
            label = str(model._meta.get_field(name).verbose_name).capitalize()
            changes.append(Change(where, label, before, after))
    return changes


def changes_since_return(submission: Submission) -> list[Change] | None:
    """Field-by-field differences between now and the version the reviewer returned.

    None when the report was never returned. Reads the versions django-simple-history kept.
    """
    if submission.returned_at is None:
        return None
    # The version saved by the return itself: later drafts are also in state "returned".
    returned = (
        submission.history.filter(history_date__gte=submission.returned_at)
        .order_by("history_date")
        .first()
    )
    moment = returned.history_date
    changes = _compare(_("Overall"), Submission, SUBMISSION_FIELDS, returned, submission)
    old_tasks = {r.pk: r for r in TaskReport.history.as_of(moment).filter(submission=submission)}
    for report in submission.task_reports.all():
        old = old_tasks.get(report.pk)
        changes += _compare(
            _("Task %(code)s") % {"code": report.task.code}, TaskReport, TASK_FIELDS, old, report
        )
    old_targets = {
        r.pk: r for r in TargetReport.history.as_of(moment).filter(submission=submission)
    }
    for report in submission.target_reports.all():
        changes += _compare(
            _("Target %(code)s") % {"code": report.target.code},
            TargetReport,
            TARGET_FIELDS,
            old_targets.get(report.pk),
            report,
        )
    return changes
