"""Demo data: the seed plan, one user per role, and (with reporting) a live round."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from plans.models import Agency, Plan
from tasks.interchange import SEED_PLAN_PATH, import_plan, load


def username_for(agency: Agency, suffix: str) -> str:
    """'SKHĐT' → 'skhdt.cv': ASCII, so it can be typed on any keyboard."""
    ascii_abbr = unicodedata.normalize(
        "NFKD", agency.abbreviation.replace("Đ", "D").replace("đ", "d")
    )
    ascii_abbr = "".join(c for c in ascii_abbr if c.isascii() and c.isalnum())
    return f"{ascii_abbr.lower()}.{suffix}"


def _user(username: str, password: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    return user


def reporting_agencies(today: dt.date) -> list[Agency]:
    """Agencies that exist today and can be given users (not groups, not the People's Committee)."""
    return [
        agency
        for agency in Agency.objects.exclude(kind__in=[Agency.Kind.GROUP, Agency.Kind.PROVINCE])
        if agency.successor_on(today) == agency
    ]


@transaction.atomic
def demo_load(*, password: str | None = None, today: dt.date | None = None) -> Plan:
    password = password or settings.DEMO_PASSWORD
    today = today or timezone.localdate()
    plan = import_plan(load(SEED_PLAN_PATH))
    _user(
        "admin",
        password,
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        first_name="Quản trị",
        email="admin@example.gov.vn",
    )
    _user(
        "sct",
        password,
        role=User.Role.REVIEWER,
        agency=plan.focal_agency,
        first_name="Chuyên viên đầu mối",
        last_name="Sở Công Thương",
        email="sct@example.gov.vn",
    )
    _user(
        "lanhdao",
        password,
        role=User.Role.LEADERSHIP,
        first_name="Lãnh đạo",
        last_name="UBND tỉnh",
        email="lanhdao@example.gov.vn",
    )
    for agency in reporting_agencies(today):
        for suffix, role, title in (
            ("cv", User.Role.OFFICER, "Chuyên viên"),
            ("ld", User.Role.HEAD, "Lãnh đạo"),
        ):
            username = username_for(agency, suffix)
            _user(
                username,
                password,
                role=role,
                agency=agency,
                first_name=title,
                last_name=agency.short_name or agency.name,
                email=f"{username}@example.gov.vn",
            )
    return plan
