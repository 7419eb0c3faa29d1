from django.contrib import admin

from .models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The record of what went out: read-only, it is the exactly-once ledger."""

    list_display = [
        "submission",
        "kind",
        "step",
        "deadline",
        "scheduled_for",
        "status",
        "escalated",
        "sent_at",
    ]
    list_filter = ["status", "kind", "escalated", "deadline"]
    search_fields = ["submission__agency__name", "submission__round__title", "step"]
    date_hierarchy = "scheduled_for"
    list_select_related = ["submission__agency", "submission__round"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
