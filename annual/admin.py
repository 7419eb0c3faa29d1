"""Read-mostly admin for reports and their files. Not autodiscovered from this sub-package:
reports/admin.py must import it (`from annual import admin as _annual_admin`)."""

from django.contrib import admin

from .models import AnnualReport, ReportSnapshot


class SnapshotInline(admin.TabularInline):
    model = ReportSnapshot
    extra = 0
    can_delete = False
    fields = ["created_at", "format", "state", "progress", "size", "pages", "sha256", "created_by"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["round", "number", "issued_on", "updated_at", "updated_by"]
    list_select_related = ["round__plan__focal_agency", "updated_by"]
    search_fields = ["round__title", "round__plan__code"]
    raw_id_fields = ["round", "updated_by"]
    inlines = [SnapshotInline]


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    """Snapshots are evidence of what was sent: nothing here changes one."""

    list_display = ["report", "format", "state", "progress", "created_at", "created_by", "size"]
    list_filter = ["format", "state"]
    list_select_related = ["report__round__plan__focal_agency", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
