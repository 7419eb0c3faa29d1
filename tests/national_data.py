"""A small hand-built country for the ministry's dashboard and the national report (no tests).

Frozen at 05/12/2026 (`before_due`). Three provinces:

- An Giang: 2 tasks due (2025), both done on time; its round's 2 reports: 1 on time, 1 late;
  its target on course (35 against 34.44 on the line from 30 in 2020 to 37.4 in 2030).
- Bắc Ninh: 2 tasks due, one done late, one still in progress; 2 reports, both on time; its target
  behind (33 against 34.44).
- Cà Mau: no plan at all.

A national programme (the ministry's, no province) with a 2026 round in which An Giang's agency
has a report accepted and Bắc Ninh's a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from plans.models import Agency, Plan
from provinces.models import Province
from reports.models import Submission
from tests.factories import (
    TZ,
    AgencyFactory,
    PlanFactory,
    RoundFactory,
    SubmissionFactory,
    TargetFactory,
    TargetReportFactory,
    TaskFactory,
    TaskReportFactory,
    UserFactory,
)

ON_TIME = dt.datetime(2026, 11, 25, 9, 0, tzinfo=TZ)
LATE = dt.datetime(2026, 12, 2, 9, 0, tzinfo=TZ)  # the provincial rounds are due 30/11/2026


@dataclass
class Country:
    provinces: dict[str, Province]
    agencies: dict[str, Agency]
    ministry: Agency
    national_plan: Plan


def _province_plan(province: Province, abbr: str, *, done_late: bool, reports, actual: str):
    """One province's plan: two tasks due in 2025, a 2026 round with two agencies' reports."""
    focal = AgencyFactory(name=f"Sở Công Thương {province.name}", abbreviation=abbr)
    other = AgencyFactory(name=f"Sở Tài chính {province.name}", abbreviation=abbr + "TC")
    for agency in (focal, other):
        agency.province = province
        agency.save()
    plan = PlanFactory(province=province, focal_agency=focal, issuer=f"UBND tỉnh {province.name}")
    first = TaskFactory(plan=plan, lead=focal, timeframe_text="Năm 2025")
    second = TaskFactory(plan=plan, lead=other, timeframe_text="Năm 2025")
    TaskFactory(plan=plan, lead=focal, timeframe_text="Năm 2027")  # not due yet: not counted
    target = TargetFactory(plan=plan, baseline_value=Decimal("30"), baseline_year=2020)
    round_ = RoundFactory(plan=plan, due_on=dt.date(2026, 11, 30))
    submissions = []
    for agency, sent in zip((focal, other), reports, strict=True):
        submissions.append(
            SubmissionFactory(
                round=round_,
                agency=agency,
                state=Submission.State.SUBMITTED,
                first_submitted_at=sent,
                submitted_at=sent,
            )
        )
    if done_late:  # the first task still under way, past its deadline
        TaskReportFactory(submission=submissions[0], task=first, state="in_progress")
    else:
        TaskReportFactory(
            submission=submissions[0], task=first, state="done", completed_on=dt.date(2025, 6, 1)
        )
    if done_late:
        TaskReportFactory(
            submission=submissions[1], task=second, state="done", completed_on=dt.date(2026, 3, 1)
        )
    else:
        TaskReportFactory(
            submission=submissions[1], task=second, state="done", completed_on=dt.date(2025, 9, 1)
        )
    TargetReportFactory(submission=submissions[0], target=target, actual=Decimal(actual))
    return focal, plan


def build_country(*, provinces: int = 3) -> Country:
    names = [("An Giang", "an-giang"), ("Bắc Ninh", "bac-ninh"), ("Cà Mau", "ca-mau")]
    made = {code: Province.objects.create(name=name, code=code) for name, code in names[:provinces]}
    agencies = {}
    if "an-giang" in made:
        agencies["an-giang"], _p = _province_plan(
            made["an-giang"], "AGSCT", done_late=False, reports=(ON_TIME, LATE), actual="35"
        )
    if "bac-ninh" in made:
        agencies["bac-ninh"], _p = _province_plan(
            made["bac-ninh"], "BNSCT", done_late=True, reports=(ON_TIME, ON_TIME), actual="33"
        )
    ministry = AgencyFactory(name="Bộ Công Thương", abbreviation="BCT", kind=Agency.Kind.MINISTRY)
    national_plan = PlanFactory(
        province=None,
        focal_agency=ministry,
        issuer="Bộ Công Thương",
        title="Chương trình quốc gia thử nghiệm về phát triển công nghiệp",
    )
    national_round = RoundFactory(plan=national_plan)
    states = {"an-giang": Submission.State.ACCEPTED, "bac-ninh": Submission.State.DRAFT}
    for code, agency in agencies.items():
        SubmissionFactory(round=national_round, agency=agency, state=states[code])
    return Country(
        provinces=made, agencies=agencies, ministry=ministry, national_plan=national_plan
    )


def ministry_leader(country: Country):
    return UserFactory(username="bct.ld", leadership=True, agency=country.ministry)


def province_leader(country: Country):
    return UserFactory(username="ag.ld", leadership=True, agency=country.agencies["an-giang"])


def province_officer(country: Country):
    return UserFactory(username="ag.cv", officer=True, agency=country.agencies["an-giang"])
