"""Field validators of the reporting models (migrations name them: keep the names)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_REMINDER_DAYS = 365


def validate_not_in_future(value) -> None:
    """A task is reported done on a day that has come (today in Hà Nội time at the latest)."""
    if value and value > timezone.localdate():
        raise ValidationError(_("The completion date cannot be in the future."), code="future")


def validate_day_list(value) -> None:
    """A round's reminder cadence: whole days from 0 to 365, each once."""
    if value in (None, ""):
        return
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= MAX_REMINDER_DAYS
        for day in value
    ):
        raise ValidationError(
            _("Give a list of whole days from 0 to %(max)s, e.g. [30, 14, 7, 3, 1, 0]."),
            code="invalid_days",
            params={"max": MAX_REMINDER_DAYS},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Give each day only once."), code="duplicate_days")
