from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Portal"), {"fields": ["role", "agency"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Portal"), {"fields": ["role", "agency", "email", "first_name", "last_name"]}),
    )
