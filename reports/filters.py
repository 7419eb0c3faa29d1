"""The round board's filters and sort order, read from the query string (shareable URLs).

A value the board does not offer (`?state=sent`) is not silently dropped: the form carries the
error, the page shows it beside the rows the other filters select, and the export refuses it.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Round, Submission

SORTS = {
    "agency": ("agency__name",),
    "state": ("state", "agency__name"),
    "submitted": (F("first_submitted_at").asc(nulls_last=True), "agency__name"),
}
SORT_LABELS = [("agency", _("Agency")), ("state", _("State")), ("submitted", _("Submitted"))]
SHOW_LABELS = [
    ("not_submitted", _("Not submitted")),
    ("late", _("Late")),
    ("returned", _("Returned")),
]


def _select(element_id: str) -> forms.Select:
    return forms.Select(attrs={"class": "form-select form-select-sm", "id": element_id})


class RoundBoardFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Submission.State.choices,
        empty_label=_("All"),
        widget=_select("f-state"),
    )
    timeliness = django_filters.ChoiceFilter(
        label=_("Timeliness"),
        choices=Submission.Timeliness.choices,
        empty_label=_("All"),
        method="filter_timeliness",
        widget=_select("f-time"),
    )
    # The one-click filters above the board (links, not a select).
    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=SHOW_LABELS,
        empty_label=_("All"),
        method="filter_show",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_LABELS,
        empty_label=None,
        method="filter_sort",
        widget=_select("f-sort"),
    )

    class Meta:
        model = Submission
        fields = ["state", "timeliness", "show", "sort"]

    def __init__(self, data, queryset: QuerySet, *, round_: Round, today: dt.date):
        super().__init__(data, queryset=queryset.order_by(*SORTS["agency"]))
        self.round, self.today = round_, today

    def filter_timeliness(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Submission.timeliness as a query: the first submission counts, on the due day's
        calendar in Hà Nội; unsubmitted ones are missing once the due date has passed."""
        due = self.round.due_on
        end_of_due_day = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(1), dt.time()))
        if value == "on_time":
            return queryset.filter(first_submitted_at__lt=end_of_due_day)
        if value == "late":
            return queryset.filter(first_submitted_at__gte=end_of_due_day)
        past_due = self.today > due
        if value == ("missing" if past_due else "pending"):
            return queryset.filter(first_submitted_at__isnull=True)
        return queryset.none()

    def filter_show(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """'Late' is a first submission after the due day, or none once that day has passed."""
        if value == "not_submitted":
            return queryset.exclude(state__in=Submission.SUBMITTED_STATES)
        if value == "returned":
            return queryset.filter(state=Submission.State.RETURNED)
        late = self.filter_timeliness(queryset, "timeliness", "late")
        return late | self.filter_timeliness(queryset, "timeliness", "missing")

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS[value])

    @property
    def query(self) -> str:
        """The query string of the filters that were understood (for the export link)."""
        self.is_valid()
        data = self.form.data.copy()
        for name in self.form.errors:
            data.pop(name, None)
        return data.urlencode()
