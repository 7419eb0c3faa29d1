"""The factories give the records the code expects: natural keys reused, roles as traits."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.factories import (
    AgencyFactory,
    PlanFactory,
    RoundFactory,
    SubmissionFactory,
    TargetReportFactory,
    TaskReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_an_agency_is_found_by_its_abbreviation(seed_plan):
    assert AgencyFactory(abbreviation="SCT") == seed_plan.focal_agency
    assert AgencyFactory().abbreviation != AgencyFactory().abbreviation


def test_a_new_plans_focal_point_is_so_cong_thuong():
    plan = PlanFactory()
    assert (plan.focal_agency.abbreviation, plan.focal_agency.name) == ("SCT", "Sở Công Thương")
    assert PlanFactory(code=plan.code) == plan


@pytest.mark.parametrize(
    "trait,role", [(t, t) for t in ("officer", "head", "reviewer", "leadership")]
)
def test_each_role_is_a_trait(trait, role):
    user = UserFactory(**{trait: True})
    assert user.role == role and not user.is_staff and user.email == "" and user.agency is None
    assert user.check_password("pw")


def test_the_admin_trait_gives_the_staff_flags_and_with_email_an_address():
    admin = UserFactory(username="admin", admin=True, with_email=True)
    assert admin.role == User.Role.ADMIN and admin.is_staff and admin.is_superuser
    assert admin.email == "admin@example.gov.vn"
    assert UserFactory(username="admin") == admin


def test_a_round_defaults_to_the_2026_annual_round_opened_in_november():
    round_ = RoundFactory()
    assert (round_.kind, round_.year, round_.due_on.isoformat()) == ("annual", 2026, "2026-12-10")
    assert (round_.period_start.isoformat(), round_.period_end.isoformat()) == (
        "2025-12-15",
        "2026-12-14",
    )
    assert round_.submissions.count() == 0


def test_report_rows_belong_to_the_submissions_plan():
    submission = SubmissionFactory()
    task_row = TaskReportFactory(submission=submission)
    target_row = TargetReportFactory(submission=submission)
    assert submission.state == "draft"
    assert task_row.task.plan == target_row.target.plan == submission.round.plan
    assert task_row.task.section.plan == submission.round.plan
