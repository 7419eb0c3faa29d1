from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import PortalModelAdmin

from .models import Task, TaskLead


class TaskLeadInline(admin.TabularInline):
    model = TaskLead
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Task)
class TaskAdmin(PortalModelAdmin):
    inlines = [TaskLeadInline]
    list_display = ["code", "short_content", "lead", "timeframe_text", "timeframe_kind", "plan"]
    list_filter = ["plan", "timeframe_kind", "lead"]
    search_fields = ["code", "content", "output"]
    autocomplete_fields = ["lead", "coordinators"]
    # a plain select, limited to the task's own plan (an autocomplete would search every plan)
    plan_scoped_fields = ("section",)
    list_select_related = ["lead", "plan"]
    list_per_page = 100

    @admin.display(description=_("content"))
    def short_content(self, obj: Task) -> str:
        return obj.content[:100]
