from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import (
    PDF_ONLY,
    EvidenceField,
    PercentField,
    PlainTextField,
    VietnameseDateField,
    VietnameseDecimalField,
    plain_text_formfield,
    sniff_upload,
)
from plans.models import Plan
from tasks.models import ImplementationState, Task

from .models import (
    Contribution,
    Round,
    Submission,
    TargetReport,
    TaskReport,
    default_period,
)


class SubmissionForm(forms.ModelForm):
    """The agency's own words on the whole round, plus the version it was editing."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    document_date = VietnameseDateField(label=_("Signed document date"), required=False)

    class Meta:
        model = Submission
        formfield_callback = plain_text_formfield
        fields = [
            "overall_assessment",
            "difficulties",
            "proposals",
            "document_number",
            "document_date",
            "document_file",
        ]
        widgets = {
            "overall_assessment": forms.Textarea(attrs={"rows": 5}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "document_file": forms.ClearableFileInput(attrs={"accept": ".pdf"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The user's file name is replaced by a generated one below, so a long name (Vietnamese
        # titles often pass 100 characters) is no reason to refuse the file.
        self.fields["document_file"].max_length = None

    def clean_document_file(self):
        upload = self.cleaned_data.get("document_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            sniff_upload(upload, PDF_ONLY)
            upload.name = f"{uuid.uuid4().hex}.pdf"  # the user's file name never reaches disk
        return upload


class TaskReportForm(forms.ModelForm):
    progress = PercentField(label=_("Progress (%)"), required=False)
    completed_on = VietnameseDateField(label=_("Completed on"), required=False)
    evidence = EvidenceField(label=_("Evidence files"))
    confirm_carried = forms.BooleanField(
        label=_("The values carried over from the last period are still right"), required=False
    )

    class Meta:
        model = TaskReport
        formfield_callback = plain_text_formfield
        fields = ["state", "progress", "completed_on", "results", "difficulties"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 3}),
            "difficulties": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("– choose –")), *ImplementationState.choices]
        self.fields["difficulties"].help_text = _(
            "For a task not started: the reason it has not started (then no results are needed)."
        )

    # The rules (done is 100 %, a completion date only when done and not in the future) are
    # TaskReport's validators and clean(), which ModelForm validation runs.
    def row_values(self) -> dict:
        """What the service saves for the row: the model fields, and a confirmed carry-over."""
        values = {
            k: v for k, v in self.cleaned_data.items() if k not in ("evidence", "confirm_carried")
        }
        if self.cleaned_data.get("confirm_carried"):
            values["carried_over"] = False
        return values

    def _post_clean(self):
        super()._post_clean()
        if "progress" in self.cleaned_data:  # as TaskReport.clean() set it (done → 100)
            self.cleaned_data["progress"] = self.instance.progress


class TargetReportForm(forms.ModelForm):
    actual = VietnameseDecimalField(
        label=_("Actual value this year"), required=False, max_digits=14, decimal_places=3
    )

    class Meta:
        model = TargetReport
        formfield_callback = plain_text_formfield
        fields = ["actual", "source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        formfield_callback = plain_text_formfield
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class RoundOpenForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices, initial=Round.Kind.ANNUAL)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = PlainTextField(label=_("Title"), max_length=255, required=False)
    due_on = VietnameseDateField(
        label=_("Due date"), required=False, help_text=_("Empty: the plan's annual due day.")
    )
    period_start = VietnameseDateField(
        label=_("Period from"), required=False, help_text=_("Empty: 15/12 of the previous year.")
    )
    period_end = VietnameseDateField(
        label=_("Period to (data cut-off)"), required=False, help_text=_("Empty: 14/12.")
    )
    scope = forms.ModelMultipleChoiceField(
        label=_("Tasks in scope"),
        queryset=Task.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ad hoc rounds: the tasks asked about. Empty: every task of the plan."),
    )
    instructions = PlainTextField(
        label=_("Instructions to agencies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["scope"].queryset = (
            Task.objects.filter(plan__in=plans)
            .select_related("lead")
            .prefetch_related("co_lead_links__agency")
        )
        self.fields["scope"].label_from_instance = lambda t: (
            f"{t.code} · {'; '.join(str(a) for a in t.leads())} · {t.content[:90]}"
        )
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        plan, kind, year = data.get("plan"), data.get("kind"), data.get("year")
        if plan and year and kind == Round.Kind.ANNUAL:
            if Round.objects.filter(plan=plan, year=year, kind=Round.Kind.ANNUAL).exists():
                raise forms.ValidationError(
                    _("The annual round for %(year)s is already open for this plan.")
                    % {"year": year}
                )
        if kind == Round.Kind.AD_HOC and not data.get("due_on"):
            self.add_error("due_on", _("An ad hoc round needs its own due date."))
        start, end = data.get("period_start"), data.get("period_end")
        if year:  # an empty end of the period is the default one: check against it too
            default_start, default_end = default_period(year)
            start, end = start or default_start, end or default_end
        if start and end and start > end:
            field = "period_end" if data.get("period_end") else "period_start"
            self.add_error(field, _("The period ends before it starts."))
        scope = data.get("scope")
        if plan and scope:
            try:
                Round(plan=plan).validate_scope(scope)
            except ValidationError as exc:
                self.add_error(None, exc)
        due = data.get("due_on")
        if due and due < dt.date(2000, 1, 1):
            self.add_error("due_on", _("Enter a real due date."))
        return data


class ReturnForm(forms.Form):
    """Send a report back: a comment is required; a comment per task is optional."""

    comment = PlainTextField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what must be corrected: a comment is required.")},
    )

    def __init__(self, *args, task_reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        for report in task_reports:
            self.fields[f"comment-{report.pk}"] = PlainTextField(
                label=_("Comment on task %(code)s") % {"code": report.task.code},
                required=False,
                # Rendered beside its task on the review page, outside the <form> element.
                widget=forms.Textarea(attrs={"rows": 2, "form": "return-form"}),
                initial=report.review_comment,
            )

    def task_comments(self) -> dict[int, str]:
        return {
            int(name.split("-", 1)[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("comment-")
        }


class ReopenForm(forms.Form):
    reason = PlainTextField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for reopening an accepted report.")},
    )
