from django import template
from django.utils import timezone

from common import numbers

register = template.Library()


@register.filter
def dashed(value: str) -> str:
    """'done_on_time' → 'done-on-time', for CSS class names."""
    return str(value).replace("_", "-")


@register.simple_tag
def status_badge_class(prefix: str, value: str) -> str:
    return f"badge {prefix}-{dashed(value)}"


@register.filter
def isodate(value: str) -> str:
    """'2020-09-03' (as stored in plan JSON) → '03/09/2020'."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return value


@register.filter
def vn_number(value) -> str:
    return numbers.vn_number(value)


@register.filter(needs_autoescape=True)
def nobreak_refs(value, autoescape=True):
    """The text with every document number kept on one line (never broken at its hyphen):
    each is wrapped in <span class="nobr">."""
    import re

    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    text = conditional_escape(str(value)) if autoescape else str(value)
    return mark_safe(re.sub(numbers.DOCUMENT_NUMBER, r'<span class="nobr">\g<0></span>', text))


@register.filter
def lead_name_on(task, on=None) -> str:
    """A task's plan-time leads, each with who answers for it on the date (today by default):
    'Sở Lao động - Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)'."""
    return task.lead_names_on(on or timezone.localdate())


@register.filter
def name_on(agency, on=None) -> str:
    """A plan-time agency's name with its successor's on the date (today by default)."""
    return agency.name_on(on or timezone.localdate())
