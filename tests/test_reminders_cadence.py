"""The cadence table and its move onto working days (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

from reminders.cadence import DEFAULT_DAYS_AFTER, DEFAULT_DAYS_BEFORE, round_cadence, steps_until
from workdays.calendar import WorkingCalendar

D = dt.date
WEEKENDS_ONLY = WorkingCalendar()


def table(deadline, until, calendar=WEEKENDS_ONLY, before=(), after=()):
    days_before, days_after = round_cadence(before, after)
    steps = steps_until(
        deadline, until, days_before=days_before, days_after=days_after, calendar=calendar
    )
    return [(step.name, step.scheduled) for step in steps]


def test_default_cadence_for_the_annual_round_due_thursday_10_december_2026():
    assert table(D(2026, 12, 10), D(2027, 1, 8)) == [
        ("before-30", D(2026, 11, 10)),
        ("before-14", D(2026, 11, 26)),
        ("before-7", D(2026, 12, 3)),
        ("before-3", D(2026, 12, 7)),
        ("before-1", D(2026, 12, 9)),
        ("due", D(2026, 12, 10)),
        ("after-1", D(2026, 12, 11)),
        # Sunday 13/12 goes on the working day before, the same Friday as after-1
        ("after-3", D(2026, 12, 11)),
        ("after-7", D(2026, 12, 17)),
        ("after-14", D(2026, 12, 24)),  # weekly from here on
        ("after-21", D(2026, 12, 31)),
        ("after-28", D(2027, 1, 7)),
    ]


def test_only_steps_up_to_the_given_day_are_listed():
    assert table(D(2026, 12, 10), D(2026, 12, 3))[-1] == ("before-7", D(2026, 12, 3))
    assert table(D(2026, 12, 10), D(2026, 11, 9)) == []


def test_a_step_on_a_weekend_goes_on_the_friday_before():
    # due Monday 7/12/2026: before-1 is Sunday, before-3 is Friday already
    steps = dict(table(D(2026, 12, 7), D(2026, 12, 7)))
    assert steps["before-1"] == D(2026, 12, 4)
    assert steps["before-3"] == D(2026, 12, 4)


def test_a_step_on_a_holiday_goes_on_the_working_day_before_the_whole_break():
    # 2/9/2026 (Wednesday) is National Day; 31/8 and 1/9 are days off as well
    calendar = WorkingCalendar(days_off=frozenset({D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)}))
    steps = dict(table(D(2026, 9, 9), D(2026, 9, 9), calendar))
    assert steps["before-7"] == D(2026, 8, 28)  # Friday before the long weekend


def test_a_make_up_working_saturday_counts_as_a_working_day():
    calendar = WorkingCalendar(worked_weekend_days=frozenset({D(2026, 8, 22)}))
    assert calendar.is_working_day(D(2026, 8, 22))
    assert dict(table(D(2026, 8, 29), D(2026, 8, 29), calendar))["before-7"] == D(2026, 8, 22)


def test_an_overdue_step_never_goes_out_on_or_before_the_deadline():
    # due Friday 11/12/2026: after-1 is Saturday; "the working day before" would be the deadline
    steps = dict(table(D(2026, 12, 11), D(2026, 12, 20)))
    assert steps["due"] == D(2026, 12, 11)
    assert steps["after-1"] == D(2026, 12, 14)
    assert steps["after-3"] == D(2026, 12, 14)  # Monday 14/12 is itself the 3rd day


def test_a_deadline_on_a_weekend_moves_its_due_step_back():
    # due Sunday 10/12/2028
    steps = dict(table(D(2028, 12, 10), D(2028, 12, 12)))
    assert steps["due"] == D(2028, 12, 8)
    assert steps["after-1"] == D(2028, 12, 11)


def test_a_round_can_set_its_own_cadence():
    assert [
        name for name, _ in table(D(2026, 12, 10), D(2027, 1, 31), before=[10, 2], after=[2])
    ] == [
        "before-10",
        "before-2",
        "after-2",
        "after-9",
        "after-16",
        "after-23",
        "after-30",
        "after-37",
        "after-44",
        "after-51",
    ]


def test_empty_or_meaningless_settings_fall_back_to_the_default():
    assert round_cadence([], []) == (DEFAULT_DAYS_BEFORE, DEFAULT_DAYS_AFTER)
    assert round_cadence(["x", -3], [0, None]) == (DEFAULT_DAYS_BEFORE, DEFAULT_DAYS_AFTER)
    assert round_cadence(["7", 7, 0], [5]) == ((0, 7), (5,))


def test_add_working_days_skips_weekends_and_holidays():
    tet = frozenset(D(2026, 2, d) for d in range(16, 21))
    calendar = WorkingCalendar(days_off=tet)
    assert calendar.add_working_days(D(2026, 12, 4), 5) == D(2026, 12, 11)  # Fri → next Fri
    # returned on Friday 13/2/2026, just before Tết: the five days start after the break
    assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert calendar.add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)
