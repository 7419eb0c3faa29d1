from django.contrib import admin

from .models import Agency, Plan, Section, Target


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "succeeded_by", "succeeded_on", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "abbreviation"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["succeeded_by"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["code", "number", "title", "text", "parent", "position"]
    show_change_link = True


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["code", "name", "comparator", "value", "unit", "year", "parent", "annual_rate"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issuer", "issued_on", "focal_agency", "horizon_year"]
    search_fields = ["title", "number", "code"]
    autocomplete_fields = ["focal_agency"]
    inlines = [TargetInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "title", "text"]
    list_select_related = ["plan"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "comparator", "value", "unit", "year", "plan"]
    list_filter = ["plan", "comparator"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["reporting_agency", "parent"]
    list_select_related = ["plan"]
