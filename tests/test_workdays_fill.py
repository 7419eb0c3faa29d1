"""Coming years' holidays are filled from the holidays package by a command and a yearly beat
entry, never overwriting what an administrator entered."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from workdays.calendar import WorkingCalendar
from workdays.models import Holiday
from workdays.services import coming_years
from workdays.tasks import fill_coming_holidays

D = dt.date


@pytest.mark.django_db
def test_the_command_fills_a_year_the_calendar_did_not_hold():
    assert not Holiday.objects.filter(date__year=2033).exists()
    out = StringIO()
    call_command("fill_holidays", "2033", stdout=out)
    days = dict(Holiday.objects.filter(date__year=2033).values_list("date", "name"))
    assert days[D(2033, 9, 2)].startswith("Quốc khánh")
    assert days[D(2033, 4, 30)] and days[D(2033, 5, 1)]
    # Tết 2033 (mùng 1 tháng Giêng) falls on 31/01/2033 by the Vietnamese lunar calendar.
    assert days[D(2033, 1, 31)] == "Tết Nguyên Đán"
    assert not WorkingCalendar.load().is_working_day(D(2033, 1, 31))
    assert f"{len(days)} day(s) added" in out.getvalue()


@pytest.mark.django_db
def test_running_it_twice_adds_nothing_and_keeps_the_administrators_edits():
    call_command("fill_holidays", "2032", stdout=StringIO())
    Holiday.objects.filter(date=D(2032, 9, 2)).update(name="Quốc khánh (sửa tay)")
    count = Holiday.objects.count()
    out = StringIO()
    call_command("fill_holidays", "2032", stdout=out)
    assert Holiday.objects.count() == count
    assert Holiday.objects.get(date=D(2032, 9, 2)).name == "Quốc khánh (sửa tay)"
    assert "0 day(s) added" in out.getvalue()


@pytest.mark.django_db
def test_the_yearly_task_fills_this_year_and_the_next_five(time_machine):
    time_machine.move_to(dt.datetime(2031, 12, 1, 3, 0, tzinfo=dt.UTC))
    assert list(coming_years()) == [2031, 2032, 2033, 2034, 2035, 2036]
    assert fill_coming_holidays.delay().get() > 0
    assert Holiday.objects.filter(date=D(2036, 1, 1)).exists()
    entry = settings.CELERY_BEAT_SCHEDULE["fill-coming-holidays"]
    assert entry["task"] == "workdays.tasks.fill_coming_holidays"


def test_years_out_of_range_are_refused():
    with pytest.raises(CommandError, match="between 1990 and 2100"):
        call_command("fill_holidays", "9999", stdout=StringIO())
