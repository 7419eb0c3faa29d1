"""Form fields that accept input the way Vietnamese officials type it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# dd/mm/yyyy first; a phone's numeric keypad has no "/", so "15.11.2026", "15-11-2026" and
# "15112026" are read the same way.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]
# Dates outside these years are typing mistakes ("31/12/9999"), and would overflow the date
# arithmetic of reminders and reports.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

# A thousands group follows a first group of 1-3 digits that does not start with 0: "1.234" is
# 1234, but "0.125", "-0.250" and "00.500" are decimals.
_THOUSANDS_DOT = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+\.\d+$")


def parse_vietnamese_number(text: str) -> Decimal:
    """'37,4' → 37.4; '1.234,5' → 1234.5; '1.234' → 1234; '37.4' → 37.4; '1,234.5' → 1234.5."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").rstrip("%")
    if "," in value and "." in value:
        if _THOUSANDS_COMMA.match(value):
            value = value.replace(",", "")
        else:
            value = value.replace(".", "").replace(",", ".")
    elif "," in value:
        value = value.replace(",", ".")
    elif _THOUSANDS_DOT.match(value):
        value = value.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", value):
        raise InvalidOperation(text)
    return Decimal(value)


# C0 control characters and DEL: invisible, and refused by the Word and Excel writers (and NUL by
# PostgreSQL). Text pasted from Word or a PDF carries them: vertical tab for a line break, form
# feed for a page break. Tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def plain_text(text: str) -> str:
    """Text without control characters; a pasted line or page break becomes a line break."""
    return _CONTROL.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


class PlainTextField(forms.CharField):
    """A CharField that drops control characters (see plain_text) before anything else."""

    def to_python(self, value):
        if isinstance(value, str):
            value = plain_text(value)
        return super().to_python(value)


def plain_text_formfield(db_field, **kwargs):
    """ModelForm `formfield_callback`: free-text model fields become PlainTextFields.

    A long text (TextField) is capped at TEXT_FIELD_MAX_CHARS: a longer one comes back in the
    form with a message giving the limit, the text kept. The browser is not told the limit
    (a `maxlength` would silently cut a pasted text)."""
    if isinstance(db_field, models.TextField) and not db_field.choices:
        kwargs.setdefault("max_length", settings.TEXT_FIELD_MAX_CHARS)
    if isinstance(db_field, models.CharField | models.TextField) and not db_field.choices:
        kwargs.setdefault("form_class", PlainTextField)
    field = db_field.formfield(**kwargs)
    if isinstance(db_field, models.TextField) and field is not None:
        field.widget.attrs.pop("maxlength", None)
        field.error_messages["max_length"] = _(
            "At most %(limit_value)s characters here; this text has %(show_value)s. "
            "Shorten it or attach the full text as an evidence file: it is kept below."
        )
    return field


class VietnameseDecimalField(forms.DecimalField):
    """A decimal typed with a decimal comma and dots for thousands, or the other way round."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_vietnamese_number(str(value))
        except InvalidOperation:
            raise ValidationError(
                _("Enter a number, e.g. 37,4 or 1.234,5."), code="invalid"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            text = format(value.normalize(), "f")
            return text.replace(".", ",")
        return value


class PercentField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.error_messages["min_value"] = _("Progress is a percentage between 0 and 100.")
        self.error_messages["max_value"] = _("Progress is a percentage between 0 and 100.")
        # Django's own "Enter a whole number." reads wrong in Vietnamese ("Nhập một số tổng thể.").
        self.error_messages["invalid"] = _(
            "Enter the progress as a whole percentage from 0 to 100, e.g. 40."
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip()
            if re.fullmatch(r"\d+[,.]0*", value):
                value = re.split(r"[,.]", value)[0]
        return super().to_python(value)


class VietnameseDateField(forms.DateField):
    input_formats = DATE_INPUT_FORMATS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # inputmode "text": a phone's numeric keypad has no "/". data-date-picker is the label
        # of the picker button static/js/datefield.js adds.
        self.widget = forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "placeholder": "dd/mm/yyyy",
                "inputmode": "text",
                "autocomplete": "off",
                "data-date-picker": _("Choose a date"),
            },
        )
        self.error_messages["invalid"] = _("Enter a date as dd/mm/yyyy, e.g. 05/12/2026.")

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": f"01/01/{EARLIEST_YEAR}", "last": f"31/12/{LATEST_YEAR}"},
                code="out_of_range",
            )


# What an evidence file may be, recognised from its first bytes, never from its name.
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/jpeg": "jpg",
    "image/png": "png",
}
PDF_ONLY = {"application/pdf": "pdf"}


def sniff_upload(upload, allowed: dict[str, str]) -> tuple[str, str]:
    """(mime type, extension) of an uploaded file judged by content; ValidationError otherwise."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; a file may be at most %(max)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        allowed_names = ", ".join(sorted(set(allowed.values()))).upper()
        raise ValidationError(
            _("%(name)s is not a file of an accepted kind (%(kinds)s).")
            % {"name": upload.name, "kinds": allowed_names}
        )
    return kind.mime, allowed[kind.mime]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each checked by content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = []
        for upload in uploads:
            upload = super().clean(upload, initial)
            upload.sniffed = sniff_upload(upload, EVIDENCE_TYPES)
            cleaned.append(upload)
        return cleaned
