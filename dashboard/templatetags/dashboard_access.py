from django import template

from dashboard import access

register = template.Library()


@register.filter
def can_see_national(request) -> bool:
    """`request|can_see_national`: whether the navigation links the ministry's dashboard."""
    return access.request_can_see_national(request)
