from django import template

register = template.Library()


@register.filter
def dashed(value: str) -> str:
    """'done_on_time' → 'done-on-time', for CSS class names."""
    return str(value).replace("_", "-")


@register.simple_tag
def status_badge_class(prefix: str, value: str) -> str:
    return f"badge {prefix}-{dashed(value)}"
