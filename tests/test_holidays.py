"""The holiday calendar: preloaded for 2025–2030 by a data migration, editable in admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin

from reminders.models import SentReminder
from workdays.calendar import WorkingCalendar, add_working_days
from workdays.models import Holiday

D = dt.date

# Checked by hand against the Vietnamese lunar calendar (lịch âm) and the Labour Code 2019,
# art. 112: Tết Nguyên đán is mùng 1 tháng Giêng, Giỗ Tổ Hùng Vương is 10 tháng 3 âm lịch.
TET_MUNG_1 = [D(2025, 1, 29), D(2026, 2, 17), D(2027, 2, 6), D(2028, 1, 26), D(2029, 2, 13)]
# 2030: the new moon falls at 23:07 Hà Nội time on 2/2, already 3/2 in Beijing: Vietnam's Tết
# is a day before China's, which shows the library reckons on the Vietnamese calendar (UTC+7).
TET_MUNG_1 += [D(2030, 2, 2)]
GIO_TO = [D(2025, 4, 7), D(2026, 4, 26), D(2027, 4, 16), D(2028, 4, 4), D(2029, 4, 23)]
GIO_TO += [D(2030, 4, 12)]
FIXED = [(1, 1), (4, 30), (5, 1), (9, 2)]


@pytest.mark.django_db
def test_a_fresh_database_holds_vietnams_holidays_for_2025_to_2030():
    days = dict(Holiday.objects.filter(is_working_day=False).values_list("date", "name"))
    for day in TET_MUNG_1:
        assert days[day] == "Tết Nguyên Đán"
        # the eve and the days after are off too
        assert day - dt.timedelta(days=1) in days and day + dt.timedelta(days=3) in days
    for day in GIO_TO:
        assert days[day].startswith("Ngày Giỗ Tổ Hùng Vương")
    for year in range(2025, 2031):
        for month, day in FIXED:
            assert D(year, month, day) in days
    assert not Holiday.objects.filter(date__year__lt=2025).exists()
    assert not Holiday.objects.filter(date__year__gt=2030).exists()


@pytest.mark.django_db
def test_a_holiday_on_a_sunday_gives_a_day_off_in_lieu():
    # Giỗ Tổ 2026 falls on Sunday 26/4: Monday 27/4 is off instead
    assert Holiday.objects.filter(date=D(2026, 4, 27), is_working_day=False).exists()
    assert not WorkingCalendar.load().is_working_day(D(2026, 4, 27))


@pytest.mark.django_db
def test_make_up_working_saturdays_are_working_days():
    # 2/5/2025 off in exchange for Saturday 26/4/2025 worked
    swap = Holiday.objects.get(date=D(2025, 4, 26))
    assert swap.is_working_day
    calendar = WorkingCalendar.load()
    assert calendar.is_working_day(D(2025, 4, 26))
    assert not calendar.is_working_day(D(2025, 5, 2))


@pytest.mark.django_db
def test_working_days_come_from_the_table():
    calendar = WorkingCalendar.load()
    assert not calendar.is_working_day(D(2026, 2, 17))  # Tết
    assert not calendar.is_working_day(D(2026, 12, 12))  # Saturday
    assert calendar.is_working_day(D(2026, 12, 10))
    # 30/4 and 1/5/2026 are Thursday and Friday: a step on Saturday 2/5 goes on Wednesday 29/4
    assert calendar.on_or_before(D(2026, 5, 2)) == D(2026, 4, 29)
    # returned on Friday 13/2/2026: five working days after the Tết break
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


@pytest.mark.django_db
def test_a_day_added_in_admin_is_a_day_off():
    # the Government's Tết break is often longer than the law's days
    Holiday.objects.create(date=D(2026, 2, 23), name="Nghỉ Tết (bổ sung)")
    assert not WorkingCalendar.load().is_working_day(D(2026, 2, 23))
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 3, 2)


def test_admin_offers_the_calendar_and_a_read_only_ledger(rf, admin_user):
    assert admin.site.is_registered(Holiday)
    ledger = admin.site._registry[SentReminder]
    request = rf.get("/admin/reminders/sentreminder/")
    request.user = admin_user
    assert ledger.has_view_permission(request)
    assert not ledger.has_add_permission(request)
    assert not ledger.has_change_permission(request)
    assert not ledger.has_delete_permission(request)
