"""PostgreSQL row-level security: the province rule again, below the ORM (provinces/rls.py).

The tests connect as a superuser, which row-level security never applies to, so each test here
switches to an ordinary role (as production connects) for the SQL it checks, and sets the
session's scope the way the middleware does.
"""

from __future__ import annotations

import contextlib
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from plans.models import Agency, Plan
from provinces import scope
from provinces.models import Province
from reports import services
from tests.factories import UserFactory


@pytest.fixture
def two_provinces(seed_plan, reviewer):
    """The seed plan in province A with its 2026 round; province B with a plan of its own."""
    a = Province.objects.create(name="Đắk Lắk", code="dak-lak")
    b = Province.objects.create(name="Gia Lai", code="gia-lai")
    Agency.objects.update(province=a)
    Plan.objects.update(province=a)
    services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    sct_b = Agency.objects.create(
        name="Sở Công Thương tỉnh Gia Lai", abbreviation="SCT", province=b
    )
    plan_b = Plan.objects.create(
        code="gia-lai",
        title="Kế hoạch của tỉnh Gia Lai",
        issuer="UBND tỉnh Gia Lai",
        focal_agency=sct_b,
        province=b,
        start_year=2025,
        horizon_year=2030,
    )
    ministry = Agency.objects.create(name="Bộ Công Thương", abbreviation="BCT", kind="ministry")
    return a, b, plan_b, sct_b, ministry


@contextlib.contextmanager
def as_app_role(reads: str, writes: str):
    """Run SQL as an ordinary (non-superuser) role with the given session scope."""
    role = f"portal_rls_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(
            "SELECT set_config('portal.read_provinces', %s, false),"
            " set_config('portal.write_provinces', %s, false)",
            [reads, writes],
        )
        cursor.execute(f"SET ROLE {role}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute(
                "SELECT set_config('portal.read_provinces', '', false),"
                " set_config('portal.write_provinces', '', false)"
            )


def _count(cursor, sql: str, params=()) -> int:
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def test_a_province_reads_only_its_own_rows_and_national_ones(two_provinces, seed_plan):
    a, b, plan_b, sct_b, ministry = two_provinces
    with as_app_role(reads=str(b.pk), writes=str(b.pk)) as cursor:
        plans = _count(cursor, "SELECT count(*) FROM plans_plan")
        seed_visible = _count(
            cursor, "SELECT count(*) FROM plans_plan WHERE id = %s", [seed_plan.pk]
        )
        tasks_of_a = _count(
            cursor, "SELECT count(*) FROM tasks_task WHERE plan_id = %s", [seed_plan.pk]
        )
        rounds = _count(cursor, "SELECT count(*) FROM reports_round")
        submissions = _count(cursor, "SELECT count(*) FROM reports_submission")
        task_reports = _count(cursor, "SELECT count(*) FROM reports_taskreport")
        agencies = _count(cursor, "SELECT count(*) FROM plans_agency")
    assert (plans, seed_visible, tasks_of_a, rounds, submissions, task_reports) == (
        1,
        0,
        0,
        0,
        0,
        0,
    )
    assert agencies == 2  # B's focal point and the ministry (national rows are everyone's)


def test_province_a_sees_its_rows_through_the_same_policies(two_provinces, seed_plan):
    a, *_ = two_provinces
    expected_tasks = seed_plan.tasks.count()
    with as_app_role(reads=str(a.pk), writes=str(a.pk)) as cursor:
        tasks = _count(cursor, "SELECT count(*) FROM tasks_task WHERE plan_id = %s", [seed_plan.pk])
        submissions = _count(cursor, "SELECT count(*) FROM reports_submission")
    assert tasks == expected_tasks > 0
    assert submissions > 0


def test_unscoped_work_sees_everything(two_provinces):
    """Celery, commands and migrations set no scope: every row, as before."""
    with as_app_role(reads="", writes="") as cursor:
        assert _count(cursor, "SELECT count(*) FROM plans_plan") == 2


def test_a_province_cannot_write_another_provinces_plan(two_provinces, seed_plan):
    a, b, plan_b, *_ = two_provinces
    with as_app_role(reads=str(b.pk), writes=str(b.pk)) as cursor:
        cursor.execute("UPDATE plans_plan SET title = 'đổi' WHERE id = %s", [seed_plan.pk])
        assert cursor.rowcount == 0  # not even visible to update
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            cursor.execute(
                "UPDATE plans_plan SET province_id = %s WHERE id = %s", [a.pk, plan_b.pk]
            )
    seed_plan.refresh_from_db()
    assert seed_plan.title != "đổi"


def test_the_ministry_reads_every_province_and_writes_only_national_rows(two_provinces, seed_plan):
    a, b, plan_b, sct_b, ministry = two_provinces
    with as_app_role(reads="*", writes="0") as cursor:
        assert _count(cursor, "SELECT count(*) FROM plans_plan") == 2
        cursor.execute("UPDATE plans_plan SET title = 'đổi' WHERE id = %s", [plan_b.pk])
        assert cursor.rowcount == 0
        cursor.execute(
            "UPDATE plans_agency SET email = 'bct@moit.gov.vn' WHERE id = %s", [ministry.pk]
        )
        assert cursor.rowcount == 1


def test_the_middleware_sets_the_session_scope_and_lifts_it_after_the_request(
    two_provinces, client
):
    a, b, plan_b, sct_b, ministry = two_provinces
    user = UserFactory(username="gialai.sct", reviewer=True, agency=sct_b)
    settings_sent = []

    def capture(execute, sql, params, many, context):
        if "portal.read_provinces" in sql:
            settings_sent.append(params[0])
        return execute(sql, params, many, context)

    client.force_login(user)
    with connection.execute_wrapper(capture):
        body = client.get(reverse("plans:list")).content.decode()
    assert plan_b.title in body and "Kế hoạch phát triển" not in body
    assert settings_sent == [str(b.pk), ""]  # scoped for the request, lifted after it
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('portal.read_provinces', true)")
        assert cursor.fetchone()[0] == ""
    assert scope.current() is scope.UNRESTRICTED
