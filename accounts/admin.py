from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


def _names_family_first(fieldsets):
    """Django's "Personal info" asks first name, then last name; a Vietnamese name is written
    family name (Họ, last_name) first, then the given name (Tên, first_name)."""
    result = []
    for title, options in fieldsets:
        fields = list(options.get("fields", ()))
        if "first_name" in fields and "last_name" in fields:
            fields.remove("last_name")
            fields.insert(fields.index("first_name"), "last_name")
        result.append((title, {**options, "fields": fields}))
    return tuple(result)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    ordering = ["name_sort_key", "username"]
    fieldsets = _names_family_first(BaseUserAdmin.fieldsets) + (
        (_("Portal"), {"fields": ["role", "agency"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Portal"), {"fields": ["role", "agency", "email", "last_name", "first_name"]}),
    )

    @admin.display(description=_("Full name"), ordering="name_sort_key")
    def full_name(self, user: User) -> str:
        return user.get_full_name()
