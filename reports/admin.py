from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contribution,
    Evidence,
    Round,
    Submission,
    TargetReport,
    TaskReport,
)


def _whole_days(values) -> list[int]:
    values = values or []
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 366 for v in values
    ):
        raise ValidationError(
            _("Give a list of whole days from 0 to 366, e.g. [30, 14, 7, 3, 1, 0].")
        )
    return values


class RoundAdminForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "plan",
            "kind",
            "year",
            "title",
            "instructions",
            "scope",
            "period_start",
            "period_end",
            "due_on",
            "closed_at",
            "reminder_days_before",
            "reminder_days_after",
        ]

    def clean_reminder_days_before(self):
        return _whole_days(self.cleaned_data.get("reminder_days_before"))

    def clean_reminder_days_after(self):
        return _whole_days(self.cleaned_data.get("reminder_days_after"))


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundAdminForm
    list_display = ["title", "plan", "kind", "year", "due_on", "closed_at"]
    list_filter = ["kind", "year", "plan"]
    search_fields = ["title"]
    filter_horizontal = ["scope"]
    readonly_fields = ["opened_at", "opened_by"]
    fieldsets = [
        (None, {"fields": ["plan", "kind", "year", "title", "instructions", "scope"]}),
        (_("Dates"), {"fields": ["period_start", "period_end", "due_on", "closed_at"]}),
        (
            _("Reminders"),
            {
                "fields": ["reminder_days_before", "reminder_days_after"],
                "description": _(
                    "Lists of whole days, e.g. [30, 14, 7, 3, 1, 0] before the due date and "
                    "[1, 3, 7] after it (then weekly). Empty lists use these defaults."
                ),
            },
        ),
        (_("Opened"), {"fields": ["opened_at", "opened_by"]}),
    ]


class TaskReportInline(admin.TabularInline):
    model = TaskReport
    extra = 0
    fields = ["task", "state", "progress", "completed_on", "results"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """Read-mostly: the workflow belongs to the portal's screens, where it is checked."""

    list_display = ["agency", "round", "state", "version", "first_submitted_at", "accepted_at"]
    list_filter = ["state", "round"]
    search_fields = ["agency__name", "round__title"]
    list_select_related = ["agency", "round"]
    readonly_fields = [
        "round",
        "agency",
        "state",
        "version",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "updated_at",
        "updated_by",
        "returned_at",
        "return_comment",
        "accepted_at",
    ]
    inlines = [TaskReportInline]


@admin.register(TaskReport)
class TaskReportAdmin(SimpleHistoryAdmin):
    list_display = ["task", "submission", "state", "progress", "completed_on"]
    list_filter = ["state"]
    list_select_related = ["task", "submission__agency", "submission__round"]
    raw_id_fields = ["submission", "task"]


@admin.register(TargetReport)
class TargetReportAdmin(SimpleHistoryAdmin):
    list_display = ["target", "submission", "actual", "source"]
    list_select_related = ["target", "submission__agency", "submission__round"]
    raw_id_fields = ["submission", "target"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["task", "agency", "round", "updated_at"]
    list_select_related = ["task", "agency", "round"]
    raw_id_fields = ["task", "round", "agency"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "submission", "content_type", "size", "uploaded_at"]
    list_select_related = ["submission__agency", "submission__round"]
    readonly_fields = ["file", "sha256", "size", "content_type", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["submission", "task_report"]
