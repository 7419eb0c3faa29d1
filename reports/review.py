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


# A word diff compares every word with every other in the worst case: 60,000 words on each side
# took 31 s and the worker timeout. Past this many words on either side the diff is by line,
# and past this many lines the old text is shown struck out and the new one inserted.
WORD_DIFF_MAX_WORDS = 5_000
LINE_DIFF_MAX_LINES = 5_000


def _diff(a: list[str], b: list[str], joiner: str) -> str:
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(joiner.join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(joiner.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(joiner.join(b[j1:j2]))}</ins>")
    return joiner.join(out)


def word_diff(old: str, new: str) -> SafeString:
    """Old and new text with removed words in <del> and added words in <ins>; long texts are
    compared line by line, and very long ones shown whole (bounded time whatever the size)."""
    old, new = str(old or ""), str(new or "")
    a, b = old.split(), new.split()
    if max(len(a), len(b)) <= WORD_DIFF_MAX_WORDS:
        return mark_safe(_diff(a, b, " "))  # noqa: S308 - every piece is escaped in _diff
    lines_a, lines_b = old.splitlines(), new.splitlines()
    if max(len(lines_a), len(lines_b)) <= LINE_DIFF_MAX_LINES:
        return mark_safe(_diff(lines_a, lines_b, "\n"))  # noqa: S308 - escaped in _diff
    if old == new:
        return mark_safe(escape(new))  # noqa: S308 - escaped
    return mark_safe(f"<del>{escape(old)}</del>\n<ins>{escape(new)}</ins>")  # noqa: S308


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
