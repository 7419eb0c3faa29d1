"""Filling the holiday calendar from the `holidays` package (pinned in requirements.txt).

Lunar holidays come from its Vietnamese lunar calendar (Tết Nguyên đán, Giỗ Tổ Hùng Vương);
make-up working days (a Saturday worked in exchange for a day off) from its table of the
Government's swap decisions. What an administrator entered or changed is never overwritten:
only dates the table does not hold yet are added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from .models import Holiday

YEARS_AHEAD = 5
MAKE_UP_DAY_NAME = "Ngày làm việc bù"


def coming_years(today: dt.date | None = None) -> range:
    """This year and the next five: enough for every due date a round can have."""
    year = (today or timezone.localdate()).year
    return range(year, year + YEARS_AHEAD + 1)


def _worked_weekend_days(years: range) -> dict[dt.date, str]:
    """Weekend days the Government declared working days (entries of the library's table:
    month, day off, month, day worked[, year worked])."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    worked = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        if year not in years:
            continue
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            _month, _day, from_month, from_day, *from_year = entry
            day = dt.date(from_year[0] if from_year else year, from_month, from_day)
            if day.weekday() >= 5 and day.year in years:
                worked[day] = MAKE_UP_DAY_NAME
    return worked


def holidays_fill(years: Iterable[int]) -> int:
    """Add the years' public holidays and make-up days; returns how many rows were added.
    Safe to run twice: existing dates are left as they are."""
    import holidays

    years = range(min(years), max(years) + 1)
    days = holidays.country_holidays("VN", years=years, language="vi")
    rows = [Holiday(date=day, name=name[:255]) for day, name in sorted(days.items())]
    rows += [
        Holiday(date=day, name=name, is_working_day=True)
        for day, name in sorted(_worked_weekend_days(years).items())
        if day not in days
    ]
    dates = [row.date for row in rows]
    known = set(Holiday.objects.filter(date__in=dates).values_list("date", flat=True))
    new = [row for row in rows if row.date not in known]
    Holiday.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
