"""Forms of the import and review screens. They validate on the models' own rules (max lengths,
`Plan.clean`, slug codes) by filling an unsaved instance, then hand plain values to the services,
which write them into the draft."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.fields import PlainTextField, VietnameseDateField, VietnameseDecimalField
from plans.models import Agency, Plan, Target
from tasks.models import Task

from .services import UPLOAD_KINDS

MAX_UPLOAD = 20 * 1024 * 1024


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class UploadForm(forms.Form):
    document = forms.FileField(
        label=_("Plan document"),
        required=False,
        help_text=_("Word (.docx), PDF, Excel (.xlsx) or text (.txt, .md); up to 20 MB."),
    )
    text = PlainTextField(label=_("Or paste the plan's text"), required=False, widget=_textarea(8))
    amends = forms.ModelChoiceField(
        label=_("This document amends (Kế hoạch sửa đổi, bổ sung)"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("— a new plan —"),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amends"].queryset = plans

    def clean(self):
        data = super().clean()
        upload, text = data.get("document"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise ValidationError(_("Upload a document or paste its text (one of the two)."))
        if upload:
            suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in UPLOAD_KINDS:
                self.add_error("document", _("Upload a .docx, .pdf, .xlsx, .txt or .md file."))
            elif upload.size > MAX_UPLOAD:
                self.add_error("document", _("The file is larger than 20 MB."))
        return data


def _agency_choices(agencies: list[tuple[str, str]], blank: bool = False):
    return ([("", "—")] if blank else []) + agencies


def _documents_text(docs: list[dict]) -> str:
    lines = []
    for doc in docs:
        date = doc.get("date")
        shown = dt.date.fromisoformat(date).strftime("%d/%m/%Y") if date else ""
        lines.append(
            " | ".join(
                [doc.get("number", ""), shown, doc.get("issuer", ""), doc.get("title", "")]
            ).rstrip(" |")
        )
    return "\n".join(lines)


class DocumentsField(PlainTextField):
    """Documents one a line: 'number | dd/mm/yyyy | issuer | title' (only the number required)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", _textarea(3))
        kwargs.setdefault(
            "help_text", _("One document a line: number | dd/mm/yyyy | issuing body | title.")
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return _documents_text(value) if isinstance(value, list) else value

    def clean(self, value):
        text = super().clean(value)
        docs = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            number, date, issuer, title = parts[:4]
            if not number:
                raise ValidationError(_("Line %(n)s: the document number is missing.") % {"n": n})
            doc = {"number": number}
            if date:
                try:
                    doc["date"] = dt.datetime.strptime(date, "%d/%m/%Y").date().isoformat()
                except ValueError:
                    raise ValidationError(
                        _("Line %(n)s: '%(date)s' is not a date as dd/mm/yyyy.")
                        % {"n": n, "date": date}
                    ) from None
            if issuer:
                doc["issuer"] = issuer
            if title:
                doc["title"] = title
            docs.append(doc)
        return docs


class LinesField(PlainTextField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", _textarea(3))
        kwargs.setdefault("help_text", _("One a line."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value):
        return [line.strip() for line in super().clean(value).splitlines() if line.strip()]


class HeaderForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=80, help_text=_("Stable key, e.g. kh-215"))
    number = PlainTextField(label=_("Document number"), max_length=50, required=False)
    issued_on = VietnameseDateField(label=_("Issued on"), required=False)
    title = PlainTextField(label=_("Title"), widget=_textarea(2))
    issuer = PlainTextField(label=_("Issuing body"), max_length=255)
    place = PlainTextField(label=_("Place"), max_length=100, required=False)
    signer_title = PlainTextField(label=_("Signer's title"), max_length=100, required=False)
    signer_name = PlainTextField(label=_("Signer's name"), max_length=100, required=False)
    focal_agency = forms.ChoiceField(label=_("Focal-point agency"))
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    horizon_year = forms.IntegerField(label=_("Horizon year"), min_value=2000, max_value=2100)
    vision_year = forms.IntegerField(
        label=_("Vision year"), min_value=2000, max_value=2100, required=False
    )
    report_due_day = forms.IntegerField(label=_("Annual report due day"), min_value=1, max_value=31)
    report_due_month = forms.IntegerField(
        label=_("Annual report due month"), min_value=1, max_value=12
    )
    preamble = PlainTextField(label=_("Preamble"), required=False, widget=_textarea(3))
    implements = DocumentsField(label=_("Documents it implements"))
    replaces = DocumentsField(label=_("Documents it replaces"))
    recipients = LinesField(label=_("Recipients"))

    def __init__(self, *args, agencies, fixed_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focal_agency"].choices = _agency_choices(agencies)
        if fixed_code:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        plan = Plan(
            **{k: data[k] for k in ("start_year", "horizon_year", "report_due_day")},
            report_due_month=data["report_due_month"],
        )
        try:
            plan.clean()
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        return data


class SectionForm(forms.Form):
    title = PlainTextField(label=_("Title"), required=False, widget=_textarea(2))
    text = PlainTextField(label=_("Text"), required=False, widget=_textarea(4))


class NewSectionForm(SectionForm):
    parent = forms.ChoiceField(label=_("Part of section"), required=False)
    number = PlainTextField(
        label=_("Number"), max_length=10, help_text=_("The number alone, e.g. IV or 2")
    )
    position = forms.IntegerField(
        label=_("Position among its sections"),
        min_value=1,
        required=False,
        help_text=_("1 for the first; empty to put it last."),
    )
    field_order = ["parent", "number", "title", "text", "position"]

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— a top-level section —"))] + [
            (c, c) for c in sections
        ]


class TargetForm(forms.Form):
    name = PlainTextField(label=_("Name"), widget=_textarea(2))
    unit = PlainTextField(label=_("Unit"), max_length=30, required=False)
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Target.Comparator.choices)
    value = VietnameseDecimalField(
        label=_("Target value"), required=False, max_digits=14, decimal_places=3
    )
    year = forms.IntegerField(label=_("Horizon year"), min_value=2000, max_value=2100)
    reporting_agency = forms.ChoiceField(label=_("Reporting agency"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_agency"].choices = _agency_choices(agencies, blank=True)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        target = Target(comparator=data["comparator"], value=data.get("value"))
        try:
            target.clean()
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        data["reporting_agency"] = data.get("reporting_agency") or None
        return data


class NewTargetForm(TargetForm):
    code = PlainTextField(label=_("Code"), max_length=Target._meta.get_field("code").max_length)
    parent = forms.ChoiceField(label=_("Of which (parent target)"), required=False)
    text = PlainTextField(label=_("Wording in the plan"), required=False, widget=_textarea(2))
    field_order = ["code", "parent", "name", "text"]

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = _agency_choices([(c, c) for c in targets], blank=True)


class TaskForm(forms.Form):
    code = PlainTextField(label=_("Code"), max_length=30)
    section = forms.ChoiceField(label=_("Section"))
    lead = forms.ChoiceField(label=_("Lead agency"))
    co_leads = forms.MultipleChoiceField(
        label=_("Further lead agencies"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("When the plan names several leads: each one reports on the task."),
    )
    coordinators = forms.MultipleChoiceField(
        label=_("Coordinating agencies"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    coordination = PlainTextField(
        label=_("Coordination as written"), required=False, max_length=2000
    )
    content = PlainTextField(label=_("Content"), widget=_textarea(4))
    output = PlainTextField(label=_("Expected output"), required=False, widget=_textarea(2))
    timeframe = PlainTextField(
        label=_("Timeframe as written"),
        max_length=Task._meta.get_field("timeframe_text").max_length,
        required=False,
        help_text=_("e.g. Năm 2026, Quý IV/2026, Thường xuyên"),
    )

    def __init__(self, *args, agencies, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = _agency_choices(agencies)
        self.fields["co_leads"].choices = agencies
        self.fields["coordinators"].choices = agencies
        self.fields["section"].choices = [(c, c) for c in sections]

    def clean(self):
        data = super().clean()
        lead = data.get("lead")
        data["co_leads"] = [a for a in dict.fromkeys(data.get("co_leads", [])) if a != lead]
        both = set(data["co_leads"]) & set(data.get("coordinators", []))
        if both:
            self.add_error(
                "coordinators",
                _("A lead cannot also coordinate the task: %(codes)s.")
                % {"codes": ", ".join(sorted(both))},
            )
        return data


class SplitForm(forms.Form):
    first = PlainTextField(label=_("First task"), widget=_textarea(3))
    second = PlainTextField(label=_("Second task (a new code)"), widget=_textarea(3))


class AgencyForm(forms.Form):
    existing = forms.ChoiceField(
        label=_("Same as an agency of the list"),
        required=False,
        help_text=_("Leave empty to add it as a new agency."),
    )
    name = PlainTextField(label=_("Name of the new agency"), max_length=255, required=False)
    short_name = PlainTextField(label=_("Short name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices, required=False)

    def __init__(self, *args, registry: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing"].choices = _agency_choices(registry, blank=True)

    def clean(self):
        data = super().clean()
        if not data.get("existing") and not (data.get("name") or "").strip():
            raise ValidationError(
                _("Pick the agency it is, or give the new agency's name."), code="required"
            )
        return data


class ColumnsForm(forms.Form):
    """Which column of one table holds which field."""

    FIELD_LABELS = {
        "number": _("Number"),
        "content": _("Content"),
        "lead": _("Lead agency"),
        "coordinators": _("Coordinating agencies"),
        "output": _("Expected output"),
        "timeframe": _("Timeframe"),
        "note": _("Note"),
    }

    def __init__(self, *args, mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (str(i), f"{i + 1}. {h[:40]}") for i, h in enumerate(mapping["headers"])
        ]
        for name, label in self.FIELD_LABELS.items():
            current = mapping["columns"].get(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial="" if current is None else str(current),
            )

    def columns(self) -> dict[str, int | None]:
        return {
            name: (int(value) if value != "" else None) for name, value in self.cleaned_data.items()
        }
