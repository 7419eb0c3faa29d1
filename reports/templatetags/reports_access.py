"""reports/access.py's answers for templates that every page shares (the navigation bar)."""

from django import template

from reports import access
from reports.models import Submission

register = template.Library()


@register.filter
def can_see_rounds(user) -> bool:
    return access.can_see_rounds(user)


@register.filter
def event_label(reason: str) -> str:
    """A history reason that is a workflow event reads as its label; the reviewer's own words
    (a return or reopening) as written."""
    if reason in Submission.Event.values:
        return Submission.Event(reason).label
    return reason
