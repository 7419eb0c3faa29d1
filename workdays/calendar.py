"""Working days: Monday to Friday, minus public holidays, plus make-up working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)
# A run of days off longer than this means the calendar is broken; stop instead of looping.
_MAX_DAYS_OFF = 60


@dataclass(frozen=True)
class WorkingCalendar:
    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    worked_weekend_days: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def load(cls) -> WorkingCalendar:
        """The whole Holiday table in one query (a few hundred rows at most)."""
        from .models import Holiday

        days_off, worked = set(), set()
        for day, is_working_day in Holiday.objects.values_list("date", "is_working_day"):
            (worked if is_working_day else days_off).add(day)
        return cls(frozenset(days_off), frozenset(worked))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.worked_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def on_or_before(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the working day before it."""
        for _ in range(_MAX_DAYS_OFF):
            if self.is_working_day(day):
                return day
            day -= ONE_DAY
        raise ValueError(f"No working day in the {_MAX_DAYS_OFF} days before {day}")

    def after(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        for _ in range(_MAX_DAYS_OFF):
            day += ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError(f"No working day in the {_MAX_DAYS_OFF} days after {day}")

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n ≥ 0; n = 0 gives `day` itself)."""
        for _ in range(n):
            day = self.after(day)
        return day


def add_working_days(day: dt.date, n: int, calendar: WorkingCalendar | None = None) -> dt.date:
    """E.g. a returned submission is due again 5 working days after the return."""
    return (calendar or WorkingCalendar.load()).add_working_days(day, n)
