"""Shared fixtures: the seed plan and one user per role (healthchecks-style base cast)."""

from __future__ import annotations

import pytest

from accounts.models import User
from plans.models import Agency, Plan
from tasks.interchange import SEED_PLAN_PATH, import_plan, load


@pytest.fixture
def seed_plan(db) -> Plan:
    return import_plan(load(SEED_PLAN_PATH))


def make_user(username: str, role: str, agency: Agency | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password="pw", role=role, agency=agency, **extra
    )
    return user


@pytest.fixture
def agency(seed_plan) -> Agency:
    """Agency A: Sở Tài chính (leads its own task and, since 2025, Sở KH&ĐT's five)."""
    return Agency.objects.get(abbreviation="STC")


@pytest.fixture
def other_agency(seed_plan) -> Agency:
    """Agency B: Sở Khoa học và Công nghệ."""
    return Agency.objects.get(abbreviation="SKHCN")


@pytest.fixture
def officer(agency) -> User:
    return make_user("stc.cv", User.Role.OFFICER, agency)


@pytest.fixture
def head(agency) -> User:
    return make_user("stc.ld", User.Role.HEAD, agency)


@pytest.fixture
def other_officer(other_agency) -> User:
    return make_user("skhcn.cv", User.Role.OFFICER, other_agency)


@pytest.fixture
def reviewer(seed_plan) -> User:
    return make_user("sct", User.Role.REVIEWER, seed_plan.focal_agency)


@pytest.fixture
def leader(seed_plan) -> User:
    return make_user("lanhdao", User.Role.LEADERSHIP)


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", User.Role.ADMIN, is_staff=True, is_superuser=True)
