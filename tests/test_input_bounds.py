"""Inputs that were misread or let through: decimals after a leading zero, far-off years,
dates typed on a phone's numeric keypad."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from common.fields import VietnameseDateField, parse_vietnamese_number
from plans.models import Plan
from reports.forms import RoundOpenForm


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0.125", "0.125"),
        ("-0.250", "-0.250"),
        ("00.500", "0.500"),
        ("0,125", "0.125"),
        # thousands groups still read as thousands
        ("1.234", "1234"),
        ("12.345.678", "12345678"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
    ],
)
def test_a_group_after_a_leading_zero_is_a_decimal_not_thousands(typed, value):
    assert parse_vietnamese_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["15/11/2026", "15-11-2026", "15.11.2026", "15112026"])
def test_dates_typed_without_slashes_are_read_as_day_month_year(typed):
    assert VietnameseDateField().clean(typed) == dt.date(2026, 11, 15)


@pytest.mark.parametrize("typed", ["31/12/9999", "01/01/0001", "31/12/1899"])
def test_a_date_in_a_far_off_year_is_refused_with_a_message(typed):
    field = VietnameseDateField()
    with pytest.raises(Exception) as refused:
        field.clean(typed)
    assert "01/01/1990" in str(refused.value) and "31/12/2100" in str(refused.value)


@pytest.mark.django_db
def test_a_round_due_in_9999_is_refused_and_nothing_is_opened(seed_plan):
    form = RoundOpenForm(
        {"plan": seed_plan.pk, "kind": "ad_hoc", "year": 2026, "due_on": "31/12/9999"},
        plans=Plan.objects.all(),
    )
    assert not form.is_valid()
    assert "due_on" in form.errors
    assert not seed_plan.rounds.exists()
