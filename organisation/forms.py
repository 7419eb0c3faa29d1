"""Forms for the agency registry and for recording a reorganisation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import PlainTextField, VietnameseDateField, plain_text_formfield
from plans.models import Agency
from tasks.models import Task

from .models import Reorganisation
from .services import Spec


class AgencyForm(forms.ModelForm):
    """Name, short name, abbreviation, kind, parent body, group members. Succession and
    dissolution are not typed here: they are dated events (see ReorganisationForm)."""

    formfield_callback = plain_text_formfield

    class Meta:
        model = Agency
        fields = ["name", "short_name", "abbreviation", "kind", "parent", "members", "email"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Agency.objects.exclude(pk=self.instance.pk) if self.instance.pk else Agency.objects
        self.fields["parent"].queryset = others.exclude(kind=Agency.Kind.GROUP).order_by("name")
        self.fields["members"].queryset = others.exclude(kind=Agency.Kind.GROUP).order_by("name")
        self.fields["members"].required = False

    def clean_abbreviation(self) -> str:
        value = self.cleaned_data["abbreviation"].strip()
        if any(ch.isspace() for ch in value):
            raise forms.ValidationError(_("An abbreviation has no spaces, e.g. SCT or SKHĐT."))
        # Within the agency's province (abbreviations repeat across provinces: each has an SCT).
        clash = (
            Agency.objects.unscoped()
            .filter(abbreviation__iexact=value, province_id=self.instance.province_id)
            .exclude(pk=self.instance.pk)
        )
        if clash.exists():
            raise forms.ValidationError(
                _("Another agency already uses %(abbr)s.") % {"abbr": value}
            )
        return value

    def clean(self):
        data = super().clean()
        kind, members = data.get("kind"), data.get("members")
        if members and kind != Agency.Kind.GROUP:
            self.add_error("members", _("Only a group has members; choose the kind “Group”."))
        return data


class ReorganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Reorganisation.Kind.choices)
    effective_on = VietnameseDateField(label=_("Takes effect on"))
    sources = forms.ModelMultipleChoiceField(
        label=_("Agencies concerned"),
        queryset=Agency.objects.order_by("name"),
        help_text=_("A merger may name several; every other kind names one."),
    )
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text=_(
            "Merge and split: the main successor. Move: the new parent body. Transfer: who "
            "takes the function. Dissolve: who takes its tasks, if anyone."
        ),
    )
    other_successor = forms.ModelChoiceField(
        label=_("Successor of the chosen tasks (split)"),
        queryset=Agency.objects.order_by("name"),
        required=False,
    )
    tasks = forms.ModelMultipleChoiceField(
        label=_("Tasks that go elsewhere (split, transfer)"),
        queryset=Task.objects.select_related("plan", "lead").order_by("plan", "position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_name = PlainTextField(label=_("New name (rename)"), max_length=255, required=False)
    new_short_name = PlainTextField(label=_("New short name"), max_length=100, required=False)
    new_abbreviation = PlainTextField(label=_("New abbreviation"), max_length=20, required=False)
    legal_basis = PlainTextField(label=_("Legal basis"), max_length=255, required=False)
    note = PlainTextField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].label_from_instance = lambda t: (
            f"{t.code} · {t.lead} · {t.content[:90]}"
        )

    def spec(self) -> Spec:
        data = self.cleaned_data
        return Spec(
            kind=data["kind"],
            effective_on=data["effective_on"],
            sources=list(data["sources"]),
            successor=data["successor"],
            other_successor=data["other_successor"],
            tasks=list(data["tasks"]),
            new_name=data["new_name"],
            new_short_name=data["new_short_name"],
            new_abbreviation=data["new_abbreviation"],
            legal_basis=data["legal_basis"],
            note=data["note"],
        )

    def add_service_errors(self, error) -> None:
        """A service's ValidationError onto the fields it names (or the form as a whole)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)
