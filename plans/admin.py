from django import forms
from django.contrib import admin

from common.admin import PlanChildInline, PortalModelAdmin

from .models import Agency, Plan, Section, Target


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "abbreviation",
        "kind",
        "province",
        "succeeded_by",
        "succeeded_on",
        "dissolved_on",
    ]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name", "abbreviation"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["succeeded_by"]


class SectionInline(PlanChildInline, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["code", "number", "title", "text", "parent", "position"]
    plan_scoped_fields = ("parent",)
    show_change_link = True


class TargetInline(PlanChildInline, admin.TabularInline):
    model = Target
    extra = 0
    fields = ["code", "name", "comparator", "value", "unit", "year", "parent", "annual_rate"]
    plan_scoped_fields = ("parent",)


@admin.register(Plan)
class PlanAdmin(PortalModelAdmin):
    list_display = ["__str__", "issuer", "issued_on", "focal_agency", "horizon_year"]
    search_fields = ["title", "number", "code"]
    autocomplete_fields = ["focal_agency"]
    inlines = [TargetInline]
    list_fields = {
        "implements": forms.CharField(max_length=500),
        "replaces": forms.CharField(max_length=500),
        "recipients": forms.CharField(max_length=500),
    }


@admin.register(Section)
class SectionAdmin(PortalModelAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "title", "text"]
    list_select_related = ["plan"]
    plan_scoped_fields = ("parent",)


@admin.register(Target)
class TargetAdmin(PortalModelAdmin):
    list_display = ["code", "name", "comparator", "value", "unit", "year", "plan"]
    list_filter = ["plan", "comparator"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["reporting_agency"]
    list_select_related = ["plan"]
    plan_scoped_fields = ("parent",)
