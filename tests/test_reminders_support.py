"""Builders shared by the reminders test modules (this module holds no tests)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import User
from plans.models import Agency, Plan
from reports.models import Round, Submission, default_period

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ANNUAL_DUE = dt.date(2026, 12, 10)  # a Thursday


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def frozen(day: dt.date, hour: int = 8):
    """Freeze the clock at 08:00 in Hà Nội on `day`, when the beat schedule fires."""
    return time_machine.travel(at(day, hour), tick=False)


def make_round(
    plan: Plan,
    *,
    due_on: dt.date = ANNUAL_DUE,
    opened_on: dt.date = dt.date(2026, 11, 2),
    kind: str = Round.Kind.ANNUAL,
    **extra,
) -> Round:
    start, end = default_period(due_on.year)
    return Round.objects.create(
        plan=plan,
        kind=kind,
        year=due_on.year,
        title=extra.pop("title", f"Báo cáo kết quả thực hiện năm {due_on.year}"),
        period_start=start,
        period_end=end,
        due_on=due_on,
        opened_at=at(opened_on, 9),
        **extra,
    )


def make_agency(n: int, **extra) -> Agency:
    return Agency.objects.create(name=f"Cơ quan thử nghiệm {n}", abbreviation=f"TN{n}", **extra)


def make_user(username: str, role: str, agency: Agency | None, **extra) -> User:
    extra.setdefault("email", f"{username}@example.gov.vn")
    return User.objects.create_user(
        username=username, password="pw", role=role, agency=agency, **extra
    )


def staff(agency: Agency, prefix: str) -> tuple[User, User]:
    """An officer and a head for the agency, both with e-mail addresses."""
    return (
        make_user(f"{prefix}.cv", User.Role.OFFICER, agency),
        make_user(f"{prefix}.ld", User.Role.HEAD, agency),
    )


def make_submission(round_: Round, agency: Agency, state: str = "draft", **extra) -> Submission:
    return Submission.objects.create(round=round_, agency=agency, state=state, **extra)
