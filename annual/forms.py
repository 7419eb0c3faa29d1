from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import VietnameseDateField

from .models import AnnualReport


class AnnualReportForm(forms.ModelForm):
    """The focal point's text and the header fields; blank header fields show, as placeholders,
    what the document will print instead (taken from the plan)."""

    issued_on = VietnameseDateField(label=_("Document date"), required=False)

    class Meta:
        model = AnnualReport
        fields = [
            "number",
            "issued_on",
            "place",
            "parent_body",
            "addressee",
            "subject",
            "overall_assessment",
            "limitations",
            "next_tasks",
            "proposals",
            "signer_authority",
            "signer_name",
            "filing_division",
            "recipients",
        ]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "overall_assessment": forms.Textarea(attrs={"rows": 8}),
            "limitations": forms.Textarea(attrs={"rows": 6}),
            "next_tasks": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 6}),
            "signer_authority": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        self.fields["number"].widget.attrs["min"] = 1
        self.fields["issued_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"
        for name, default in (
            ("place", report.place_text),
            ("parent_body", report.parent_body_text),
            ("addressee", report.addressee_text),
            ("subject", report.subject_text if not report.subject else ""),
            ("filing_division", report.plan.focal_agency.abbreviation),
        ):
            self.fields[name].widget.attrs["placeholder"] = default
