"""What every admin page of the portal shares: labels in the user's language, pickers limited to
the plan at hand, and list fields typed one item per line instead of as raw JSON."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

PLAN_ATTRIBUTE = "_admin_plan_id"


class ListField(forms.Field):
    """A JSON list typed as text, one item per line (or comma-separated): no raw "[]" box.

    `item` is the form field each item must pass (e.g. forms.IntegerField()); an empty box is an
    empty list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, item: forms.Field | None = None, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        self.item = item or forms.CharField(max_length=500)
        kwargs.setdefault("help_text", _("One item per line (or separated by commas)."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        text = (value or "").replace("\r", "")
        separator = "\n" if "\n" in text else ","
        items = [part.strip() for part in text.split(separator) if part.strip()]
        result, errors = [], []
        for number, item in enumerate(items, start=1):
            try:
                result.append(self.item.clean(item))
            except ValidationError as exc:
                errors.append(
                    _("Item %(number)s (“%(item)s”): %(problem)s")
                    % {"number": number, "item": item[:50], "problem": " ".join(exc.messages)}
                )
        if errors:
            raise ValidationError(errors, code="invalid_item")
        return result

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != list(initial or [])
        except ValidationError:
            return True


class PortalAdminMixin:
    """Base of the portal's ModelAdmins and inlines.

    - A relation the model did not label ("plan", "round") takes the related model's
      translated name, so no English "Plan:" shows on a Vietnamese page.
    - `plan_scoped_fields`: foreign keys whose choices are limited to the plan of the object
      being edited (a section of another plan is never offered).
    - `list_fields`: {field name: item form field} for JSON lists typed one per line.
    """

    plan_scoped_fields: tuple[str, ...] = ()
    list_fields: dict[str, forms.Field] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.list_fields:
            return ListField(
                item=self.list_fields[db_field.name],
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=db_field.help_text or _("One item per line (or separated by commas)."),
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        related = getattr(db_field, "related_model", None)
        if formfield is not None and related and not isinstance(db_field.verbose_name, Promise):
            formfield.label = capfirst(related._meta.verbose_name)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        plan_id = getattr(request, PLAN_ATTRIBUTE, None)
        if db_field.name in self.plan_scoped_fields and plan_id is not None:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(plan_id=plan_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        plan_id = getattr(request, PLAN_ATTRIBUTE, None)
        if db_field.name in self.plan_scoped_fields and plan_id is not None:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(plan_id=plan_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def remember_plan(request, plan_id) -> None:
    """Note on the request which plan the page edits, for the limited pickers."""
    setattr(request, PLAN_ATTRIBUTE, plan_id)


def _titled_filter(title):
    """A relation's list filter under `title` (Django would take the field's English name)."""

    class TitledFilter(admin.RelatedFieldListFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


class PortalModelAdmin(PortalAdminMixin, admin.ModelAdmin):
    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                field = self.model._meta.get_field(item)
                if field.is_relation and not isinstance(field.verbose_name, Promise):
                    item = (item, _titled_filter(field.related_model._meta.verbose_name))
            filters.append(item)
        return filters

    def get_form(self, request, obj=None, change=False, **kwargs):
        remember_plan(request, getattr(obj, "plan_id", None))
        return super().get_form(request, obj, change=change, **kwargs)


class PlanChildInline(PortalAdminMixin, admin.options.InlineModelAdmin):
    """An inline shown on the plan's own page: its pickers keep to that plan."""

    def get_formset(self, request, obj=None, **kwargs):
        remember_plan(request, getattr(obj, "pk", None))
        return super().get_formset(request, obj, **kwargs)
