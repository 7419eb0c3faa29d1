"""The clock and the cast shared by the reminders test modules (this module holds no tests).

Records come from tests/factories.py."""

from __future__ import annotations

import datetime as dt

import time_machine

from accounts.models import User
from plans.models import Agency
from tests.factories import TZ, UserFactory


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def frozen(day: dt.date, hour: int = 8):
    """Freeze the clock at 08:00 in Hà Nội on `day`, when the beat schedule fires."""
    return time_machine.travel(at(day, hour), tick=False)


def staff(agency: Agency, prefix: str) -> tuple[User, User]:
    """An officer and a head for the agency, both with e-mail addresses."""
    return (
        UserFactory(username=f"{prefix}.cv", officer=True, agency=agency, with_email=True),
        UserFactory(username=f"{prefix}.ld", head=True, agency=agency, with_email=True),
    )
