"""The home page ('Việc của tôi') runs the same number of queries however many tasks the agency
answers for: its own, those it co-leads, those passed to it from a predecessor, and those it
coordinates (each named with its lead as of today)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from tests.factories import AgencyFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _count(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_officer_home_does_not_grow_with_the_tasks(
    client, seed_plan, agency, officer, reviewer, before_due
):
    services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    section = seed_plan.tasks.first().section
    partner = AgencyFactory(name="Viện Nghiên cứu", abbreviation="VNC")

    def add(first: int, count: int) -> None:
        for n in range(first, first + count):
            TaskFactory(plan=seed_plan, section=section, code=f"X.{n}", lead=agency)
            TaskFactory(
                plan=seed_plan, section=section, code=f"Y.{n}", lead=partner, co_leads=[agency]
            )

    add(0, 1)  # one of each kind, so every prefetch has rows to follow
    once = _count(client, officer)
    add(1, 8)
    more = _count(client, officer)
    assert more == once, f"{once} queries with 2 added tasks, {more} with 18"


def test_the_officer_home_does_not_grow_with_the_tasks_it_coordinates(
    client, seed_plan, agency, officer, reviewer, before_due
):
    services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    section = seed_plan.tasks.first().section
    lead = AgencyFactory(name="Sở Nội vụ", abbreviation="SNV2")

    def add(first: int, count: int) -> None:
        for n in range(first, first + count):
            TaskFactory(
                plan=seed_plan, section=section, code=f"Z.{n}", lead=lead, coordinators=[agency]
            )

    add(0, 1)
    once = _count(client, officer)
    add(1, 8)
    more = _count(client, officer)
    assert more == once, f"{once} queries with 1 coordinated task, {more} with 9"
