from django import template

from people import access

register = template.Library()


@register.filter
def can_manage_people(user) -> bool:
    return access.can_manage_people(user)
