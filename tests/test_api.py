"""The read API (/api/v1/): token per system, scope per plan and agency, pagination, a fixed
number of queries, and the OpenAPI schema and its documentation page without a token."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from api.models import ApiClient
from api.services import api_client_create
from plans.models import Section
from reports.models import Submission
from tests.factories import (
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

pytestmark = pytest.mark.django_db

ACCEPTED = Submission.State.ACCEPTED
LISTS = ["plans", "sections", "targets", "tasks", "rounds", "submissions"]


@pytest.fixture(autouse=True)
def mid_december():
    moment = dt.datetime(2026, 12, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


class World:
    def __init__(self) -> None:
        self.plan = PlanFactory(code="kh-124")
        self.other_plan = PlanFactory(code="kh-khac")
        self.lead = AgencyFactory(name="Sở Tài chính", abbreviation="STC")
        self.other_lead = AgencyFactory(name="Sở Khoa học và Công nghệ", abbreviation="SKHCN")
        self.done = TaskFactory(plan=self.plan, lead=self.lead, timeframe_text="Năm 2026")
        self.late = TaskFactory(plan=self.plan, lead=self.other_lead, timeframe_text="Năm 2025")
        self.target = TargetFactory(plan=self.plan, code="CT1")
        self.round_2025 = RoundFactory(plan=self.plan, due_on=dt.date(2025, 12, 10))
        self.round_2026 = RoundFactory(plan=self.plan)
        self.accepted = SubmissionFactory(round=self.round_2026, agency=self.lead, state=ACCEPTED)
        TaskReportFactory(
            submission=self.accepted,
            task=self.done,
            state="done",
            progress=100,
            completed_on=dt.date(2026, 6, 1),
        )
        accepted_2025 = SubmissionFactory(round=self.round_2025, agency=self.lead, state=ACCEPTED)
        TargetReportFactory(
            submission=accepted_2025, target=self.target, actual=Decimal("31.2"), source="Cục TK"
        )
        TargetReportFactory(submission=self.accepted, target=self.target, actual=Decimal("33.5"))
        # Awaiting review: neither its "done" nor its figure may show.
        self.draft = SubmissionFactory(
            round=self.round_2026, agency=self.other_lead, state=Submission.State.SUBMITTED
        )
        TaskReportFactory(submission=self.draft, task=self.late, state="done", progress=100)
        TargetReportFactory(submission=self.draft, target=self.target, actual=Decimal("99"))
        # Another plan's rows, out of the token's scope.
        self.hidden_task = TaskFactory(plan=self.other_plan, lead=self.lead)
        self.hidden_target = TargetFactory(plan=self.other_plan, code="CT9")
        self.hidden_round = RoundFactory(plan=self.other_plan)
        self.hidden_submission = SubmissionFactory(
            round=self.hidden_round, agency=self.lead, state=ACCEPTED
        )
        self.client_row, self.token = api_client_create(
            name="Hệ thống Bộ Công Thương", plans=[self.plan]
        )


@pytest.fixture
def world() -> World:
    return World()


def get(client, url, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, params, headers=headers)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- tokens -----------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
def test_without_a_token_every_endpoint_answers_401(client, world, endpoint):
    response = get(client, f"/api/v1/{endpoint}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"].startswith("Chưa gửi mã truy cập")


@pytest.mark.parametrize("token", ["wrong", "a b"])
def test_a_wrong_token_answers_401(client, world, token):
    response = client.get("/api/v1/plans/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_refused_token_is_told_in_vietnamese_or_english(client, world):
    headers = {"Authorization": "Bearer wrong"}
    assert client.get("/api/v1/plans/", headers=headers).json() == {
        "detail": "Mã truy cập API không hợp lệ hoặc đã bị vô hiệu hóa."
    }
    client.cookies["django_language"] = "en"
    assert client.get("/api/v1/plans/", headers=headers).json() == {
        "detail": "Invalid or inactive API token."
    }


def test_an_inactive_client_answers_401(client, world):
    ApiClient.objects.filter(pk=world.client_row.pk).update(is_active=False)
    assert get(client, "/api/v1/plans/", world.token).status_code == 401


def test_a_signed_in_session_is_no_token(client, world):
    client.force_login(UserFactory(admin=True))
    assert get(client, "/api/v1/plans/").status_code == 401


def test_the_token_is_kept_hashed_and_use_is_recorded(client, world):
    row = ApiClient.objects.get(pk=world.client_row.pk)
    assert world.token not in (row.token_hash, row.token_prefix)
    assert row.token_prefix == world.token[:8]
    assert row.last_used_at is None
    assert get(client, "/api/v1/plans/", world.token).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


# --- scope ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_token_sees_its_plans_only(client, world, endpoint):
    response = get(client, f"/api/v1/{endpoint}/", world.token)
    assert response.status_code == 200
    plans = {row.get("plan", row["id"]) for row in response.json()["results"]}
    assert plans == {world.plan.pk}


@pytest.mark.parametrize(
    ("endpoint", "hidden"),
    [
        ("plans", "other_plan"),
        ("tasks", "hidden_task"),
        ("targets", "hidden_target"),
        ("rounds", "hidden_round"),
        ("submissions", "hidden_submission"),
    ],
)
def test_an_out_of_scope_record_answers_404(client, world, endpoint, hidden):
    pk = getattr(world, hidden).pk
    assert get(client, f"/api/v1/{endpoint}/{pk}/", world.token).status_code == 404


def test_an_agency_scoped_token_sees_that_agencys_tasks_and_reports(client, world):
    _row, token = api_client_create(name="Sở Tài chính", plans=[world.plan], agencies=[world.lead])
    assert ids(get(client, "/api/v1/tasks/", token)) == {world.done.pk}
    assert ids(get(client, "/api/v1/submissions/", token)) == {
        s.pk for s in Submission.objects.filter(agency=world.lead, round__plan=world.plan)
    }
    assert get(client, f"/api/v1/tasks/{world.late.pk}/", token).status_code == 404


# --- what is shown ------------------------------------------------------------------------


def test_tasks_carry_their_status_as_of_today_from_accepted_reports(client, world):
    rows = {r["id"]: r for r in get(client, "/api/v1/tasks/", world.token).json()["results"]}
    done, late = rows[world.done.pk], rows[world.late.pk]
    assert done["status"] == "done_on_time"
    assert done["progress"] == 100
    assert done["reported_in_submission"] == world.accepted.pk
    assert done["lead"] == world.lead.pk and done["lead_name"] == "Sở Tài chính"
    assert done["due_date"] == "2026-12-31" and done["status_as_of"] == "2026-12-15"
    # Its "done" awaits review: not counted.
    assert late["status"] == "overdue"
    assert late["progress"] is None


def test_a_task_with_several_leads_lists_them_and_is_done_only_when_every_lead_is(client, world):
    shared = TaskFactory(
        plan=world.plan, lead=world.lead, co_leads=[world.other_lead], timeframe_text="Năm 2026"
    )
    TaskReportFactory(
        submission=world.accepted,
        task=shared,
        state="done",
        progress=100,
        completed_on=dt.date(2026, 6, 1),
    )
    row = get(client, f"/api/v1/tasks/{shared.pk}/", world.token).json()
    assert row["lead"] == world.lead.pk
    assert row["leads"] == [world.lead.pk, world.other_lead.pk]
    assert row["status"] == "not_started"  # the second lead has no accepted report yet
    _row, token = api_client_create(
        name="Sở Khoa học", plans=[world.plan], agencies=[world.other_lead]
    )
    assert shared.pk in ids(get(client, "/api/v1/tasks/", token))  # a further lead's scope


def test_targets_carry_their_yearly_values_from_accepted_annual_reports(client, world):
    (row,) = get(client, "/api/v1/targets/", world.token).json()["results"]
    assert [(v["year"], v["value"]) for v in row["yearly_values"]] == [
        (2025, "31.200"),
        (2026, "33.500"),
    ]
    assert row["yearly_values"][0]["source"] == "Cục TK"


def test_only_accepted_submissions_are_shown_with_their_reports(client, world):
    body = get(client, "/api/v1/submissions/", world.token, round=world.round_2026.pk).json()
    (row,) = body["results"]
    assert row["id"] == world.accepted.pk and row["state"] == "accepted"
    assert row["task_reports"][0]["task"] == world.done.pk
    assert row["target_reports"][0]["actual"] == "33.500"
    assert get(client, f"/api/v1/submissions/{world.draft.pk}/", world.token).status_code == 404


def test_a_bad_filter_value_answers_400_and_says_why(client, world):
    response = get(client, "/api/v1/tasks/", world.token, plan="abc")
    assert response.status_code == 400
    assert "plan" in response.json()


# --- pagination and queries ---------------------------------------------------------------


def add_sections(plan, count: int) -> None:
    Section.objects.bulk_create(
        Section(plan=plan, code=f"X.{n}", number=str(n), position=100 + n) for n in range(count)
    )


def test_lists_are_paginated_by_100_up_to_500(client, world):
    add_sections(world.plan, 510)  # and the factory's sections of the two tasks
    first = get(client, "/api/v1/sections/", world.token).json()
    assert first["count"] == 512
    assert len(first["results"]) == 100
    assert first["next"].endswith("page=2")
    assert (
        len(get(client, "/api/v1/sections/", world.token, page_size=1000).json()["results"]) == 500
    )
    last = get(client, "/api/v1/sections/", world.token, page_size=500, page=2).json()
    assert len(last["results"]) == 12 and last["next"] is None
    beyond = get(client, "/api/v1/sections/", world.token, page=99)
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "Trang không hợp lệ."}


def count_queries(client, url, token) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get(client, url, token).status_code == 200
    return len(queries)


def grow(world, n: int) -> None:
    for _ in range(n):
        agency = AgencyFactory()
        task = TaskFactory(plan=world.plan, lead=agency, coordinators=[world.lead])
        target = TargetFactory(plan=world.plan)
        submission = SubmissionFactory(round=world.round_2025, agency=agency, state=ACCEPTED)
        TaskReportFactory(submission=submission, task=task, state="in_progress", progress=40)
        TargetReportFactory(submission=submission, target=target, actual=Decimal("1"))


@pytest.mark.parametrize("endpoint", LISTS)
def test_the_number_of_queries_does_not_grow_with_the_rows(client, world, endpoint):
    url = f"/api/v1/{endpoint}/"
    get(client, url, world.token)  # records last_used_at: later requests do not write
    before = count_queries(client, url, world.token)
    grow(world, 15)
    assert count_queries(client, url, world.token) == before


# --- schema and documentation ---------------------------------------------------------------


def test_the_schema_is_public_and_valid_openapi(client, world):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # drf-spectacular's OpenAPI 3 validation (jsonschema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/tasks/", "/api/v1/targets/{id}/", "/api/v1/submissions/"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert "overdue" in schema["components"]["schemas"]["TaskStatusEnum"]["enum"]


def test_the_schema_builds_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/plans/" in out.getvalue()


def test_the_documentation_page_is_public_and_uses_only_local_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html.replace("https://swagger.io", "")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


# --- issuing tokens -------------------------------------------------------------------------


def test_the_command_prints_a_working_token(client, world):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_client_create", "Cổng quốc gia", "--plan", "kh-124", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert "kh-124" in err.getvalue()
    assert ids(get(client, "/api/v1/plans/", token)) == {world.plan.pk}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Hệ thống Bộ Công Thương"], "Đã có hệ thống kết nối API tên"),
        (["Mới", "--plan", "khong-co"], "khong-co"),
        (["Mới", "--agency", "XYZ"], "XYZ"),
    ],
)
def test_the_command_refuses_bad_input_and_creates_nothing(world, args, message):
    before = ApiClient.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("api_client_create", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert ApiClient.objects.count() == before


def test_the_admin_shows_a_new_clients_token_once(client, world):
    client.force_login(UserFactory(admin=True))
    response = client.post(
        "/admin/api/apiclient/add/",
        {"name": "Hệ thống tỉnh", "is_active": "on", "plans": [world.plan.pk]},
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
    token = message.split(": ", 1)[1].split(" ", 1)[0]
    created = ApiClient.objects.get(name="Hệ thống tỉnh")
    assert created.token_prefix == token[:8]
    assert ids(get(client, "/api/v1/plans/", token)) == {world.plan.pk}
    assert token not in client.get(f"/admin/api/apiclient/{created.pk}/change/").content.decode()
