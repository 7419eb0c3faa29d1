from django import template

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
