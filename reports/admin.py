from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import PortalModelAdmin

from .models import (
    Contribution,
    Evidence,
    Round,
    Submission,
    TargetReport,
    TaskReport,
)


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

    # The day lists are judged by the model field's validator; an empty box is an empty list.
    def clean_reminder_days_before(self):
        return self.cleaned_data.get("reminder_days_before") or []

    def clean_reminder_days_after(self):
        return self.cleaned_data.get("reminder_days_after") or []

    def clean(self):
        data = super().clean()
        plan, scope = data.get("plan"), data.get("scope")
        if plan and scope:
            try:
                Round(plan=plan).validate_scope(scope)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@admin.register(Round)
class RoundAdmin(PortalModelAdmin):
    form = RoundAdminForm
    plan_scoped_fields = ("scope",)
    list_fields = {
        "reminder_days_before": forms.IntegerField(min_value=0, max_value=365),
        "reminder_days_after": forms.IntegerField(min_value=0, max_value=365),
    }
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

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """What agencies wrote and reviewers decided, to read only.

    The workflow (reports/services.py) is the only way a report changes: it checks who may and
    records why. So the admin adds, changes and deletes nothing.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReportHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read only, history included: simple-history's "revert", which would restore a whole row
    (its state included) past the workflow, is off; the versions stay readable."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version may be read; posting it back (a revert) is refused."""
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Submission)
class SubmissionAdmin(ReportHistoryAdmin):
    list_display = ["agency", "round", "state", "version", "first_submitted_at", "accepted_at"]
    list_filter = ["state", "round"]
    search_fields = ["agency__name", "round__title"]
    list_select_related = ["agency", "round"]
    inlines = [TaskReportInline]


@admin.register(TaskReport)
class TaskReportAdmin(ReportHistoryAdmin):
    list_display = ["task", "submission", "state", "progress", "completed_on"]
    list_filter = ["state"]
    list_select_related = ["task", "submission__agency", "submission__round"]


@admin.register(TargetReport)
class TargetReportAdmin(ReportHistoryAdmin):
    list_display = ["target", "submission", "actual", "source"]
    list_select_related = ["target", "submission__agency", "submission__round"]


@admin.register(Contribution)
class ContributionAdmin(ReportHistoryAdmin):
    list_display = ["task", "agency", "round", "updated_at"]
    list_select_related = ["task", "agency", "round"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "submission", "content_type", "size", "uploaded_at"]
    list_select_related = ["submission__agency", "submission__round"]
