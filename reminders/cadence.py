"""When reminders fall due: the cadence table around a deadline, moved onto working days."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from workdays.calendar import WorkingCalendar

logger = logging.getLogger(__name__)

DEFAULT_DAYS_BEFORE = (30, 14, 7, 3, 1, 0)
DEFAULT_DAYS_AFTER = (1, 3, 7)
WEEKLY = 7
# "From the 3rd overdue day the agency's head and the focal point are copied."
ESCALATE_FROM_DAYS_OVERDUE = 3
# The longest run of days off (Tết with its make-up swaps) is under two weeks; a step whose
# nominal date is this far past `until` cannot have been moved back onto or before it.
_LOOKAHEAD = dt.timedelta(days=21)


@dataclass(frozen=True)
class Step:
    offset: int  # days from the deadline: -30 … 0 … 21
    nominal: dt.date  # deadline + offset
    scheduled: dt.date  # the working day it goes out on

    @property
    def name(self) -> str:
        return step_name(self.offset)


def step_name(offset: int) -> str:
    if offset < 0:
        return f"before-{-offset}"
    return "due" if offset == 0 else f"after-{offset}"


def _clean_days(values: Iterable, default: tuple[int, ...], minimum: int) -> tuple[int, ...]:
    """The round's configured days, or the default when it has none (or none that make sense)."""
    days = set()
    for value in values or ():
        try:
            day = int(value)
        except (TypeError, ValueError):
            logger.warning("Ignoring reminder day %r: not a whole number", value)
            continue
        if day >= minimum:
            days.add(day)
    return tuple(sorted(days)) if days else default


def round_cadence(days_before: Iterable, days_after: Iterable) -> tuple[tuple[int, ...], ...]:
    """(days before, days after) from Round.reminder_days_before/after; empty means default."""
    return (
        _clean_days(days_before, DEFAULT_DAYS_BEFORE, minimum=0),
        _clean_days(days_after, DEFAULT_DAYS_AFTER, minimum=1),
    )


def steps_until(
    deadline: dt.date,
    until: dt.date,
    *,
    days_before: Iterable[int],
    days_after: Iterable[int],
    calendar: WorkingCalendar,
) -> list[Step]:
    """Every step scheduled on or before `until`, oldest first (ties: the one nearer the end).

    A step that falls on a weekend or holiday goes out on the working day before. An overdue step
    is never moved onto or before the deadline itself (a reminder that says "overdue" cannot
    go out while the report is still on time): it goes out on the first working day after it.
    After the last configured overdue day, a step follows every week until the report comes in.
    """
    offsets = [-day for day in days_before] + list(days_after)
    last = max(days_after)
    horizon = until + _LOOKAHEAD
    offset = last + WEEKLY
    while deadline + dt.timedelta(days=offset) <= horizon:
        offsets.append(offset)
        offset += WEEKLY
    steps = []
    for offset in sorted(set(offsets)):
        nominal = deadline + dt.timedelta(days=offset)
        scheduled = calendar.on_or_before(nominal)
        if offset > 0 and scheduled <= deadline:
            scheduled = calendar.after(deadline)
        if scheduled <= until:
            steps.append(Step(offset, nominal, scheduled))
    steps.sort(key=lambda step: (step.scheduled, step.offset))
    return steps
