"""Forms of the focal point's round pages (reports/round_views.py) and the plan settings page."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.fields import PlainTextField, VietnameseDateField, plain_text_formfield
from plans.models import Plan

from .models import Round

MAX_REMINDER_DAYS = 366
_SEPARATORS = re.compile(r"[,;\s]+")


class DayListField(forms.CharField):
    """Whole numbers of days typed as a list: "30, 14, 7, 3, 1" (commas, semicolons or spaces).

    Cleans to a list of distinct ints, nearest the due date last for days before and first for
    days after, as Round.reminder_days_before/after store them. Empty: [] (the defaults)."""

    default_error_messages = {
        "not_number": _(
            "“%(value)s” is not a whole number of days. Type numbers separated by commas, "
            "e.g. 30, 14, 7, 3, 1."
        ),
        "too_small": _("%(value)s days: the smallest allowed here is %(minimum)s."),
        "too_large": _("%(value)s days is more than a year (%(maximum)s days at most)."),
    }

    def __init__(self, *, minimum: int, descending: bool, **kwargs):
        self.minimum, self.descending = minimum, descending
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        days: set[int] = set()
        errors = []
        for part in _SEPARATORS.split(text.strip()):
            if not part:
                continue
            if not re.fullmatch(r"\d+", part):
                errors.append(
                    ValidationError(self.error_messages["not_number"], params={"value": part})
                )
                continue
            day = int(part)
            if day < self.minimum:
                errors.append(
                    ValidationError(
                        self.error_messages["too_small"],
                        params={"value": day, "minimum": self.minimum},
                    )
                )
            elif day > MAX_REMINDER_DAYS:
                errors.append(
                    ValidationError(
                        self.error_messages["too_large"],
                        params={"value": day, "maximum": MAX_REMINDER_DAYS},
                    )
                )
            else:
                days.add(day)
        if errors:
            raise ValidationError(errors)
        return sorted(days, reverse=self.descending)


class RoundEditForm(forms.ModelForm):
    due_on = VietnameseDateField(label=_("Due date"))
    period_start = VietnameseDateField(label=_("Period from"))
    period_end = VietnameseDateField(label=_("Period to (data cut-off)"))
    reminder_days_before = DayListField(
        label=_("Reminders before the due date (days)"),
        minimum=0,
        descending=True,
        help_text=_("E.g. 30, 14, 7, 3, 1, 0 (0 is the due date itself). Empty: these defaults."),
    )
    reminder_days_after = DayListField(
        label=_("Reminders after the due date (days)"),
        minimum=1,
        descending=False,
        help_text=_("E.g. 1, 3, 7; then every week until the report comes in. Empty: 1, 3, 7."),
    )

    class Meta:
        model = Round
        formfield_callback = plain_text_formfield
        fields = [
            "title",
            "due_on",
            "period_start",
            "period_end",
            "instructions",
            "reminder_days_before",
            "reminder_days_after",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("due_on", "period_start", "period_end"):
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"
        for name in ("reminder_days_before", "reminder_days_after"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class RoundCloseForm(forms.Form):
    reason = PlainTextField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoundReopenForm(forms.Form):
    reason = PlainTextField(
        label=_("Reason for reopening the round"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for reopening the round.")},
    )


class ExtensionForm(forms.Form):
    due_on = VietnameseDateField(
        label=_("New due date for this agency"),
        error_messages={"required": _("Give the new due date (dd/mm/yyyy).")},
    )
    reason = PlainTextField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def __init__(self, *args, submission, **kwargs):
        self.submission = submission
        super().__init__(*args, **kwargs)
        self.fields["due_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        round_due = self.submission.round.due_on
        if due_on <= round_due:
            raise ValidationError(
                _("The new due date must be after the round's due date (%(date)s)."),
                params={"date": round_due.strftime("%d/%m/%Y")},
            )
        return due_on


class PlanSettingsForm(forms.ModelForm):
    """The plan's reporting settings; the focal agency is shown to administrators only."""

    report_due_day = forms.IntegerField(label=_("Annual report due day"), min_value=1, max_value=31)
    report_due_month = forms.IntegerField(
        label=_("Annual report due month"), min_value=1, max_value=12
    )

    class Meta:
        model = Plan
        formfield_callback = plain_text_formfield
        fields = [
            "focal_agency",
            "report_due_day",
            "report_due_month",
            "report_parent_body",
            "report_place",
            "report_signer_authority",
            "report_recipients",
            "higher_plan",
        ]
        widgets = {
            "report_signer_authority": forms.Textarea(attrs={"rows": 2}),
            "report_recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_admin:
            del self.fields["focal_agency"]
        # Plan.clean() refuses a loop up the chain; the list leaves out the plan itself.
        if self.instance.pk:
            self.fields["higher_plan"].queryset = Plan.objects.exclude(pk=self.instance.pk)
