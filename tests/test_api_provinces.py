"""The read API per province: a token limited to provinces sees only their rows (and national
ones), through the same ScopedManager as the pages; an unlimited token sees every province."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from drf_spectacular.validation import validate_schema

from api import views
from api.models import ApiClient
from api.services import api_client_create
from plans.models import Agency
from provinces import scope as province_scope
from provinces.models import Province
from reports.models import Submission
from tests.factories import (
    AgencyFactory,
    PlanFactory,
    RoundFactory,
    SubmissionFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

ACCEPTED = Submission.State.ACCEPTED


class TwoProvinces:
    def __init__(self) -> None:
        self.a = Province.objects.create(name="Đắk Lắk", code="dak-lak")
        self.b = Province.objects.create(name="Khánh Hòa", code="khanh-hoa")
        self.ministry = AgencyFactory(
            name="Bộ Công Thương", abbreviation="BCT", kind=Agency.Kind.MINISTRY
        )
        self.national = PlanFactory(code="ct-quoc-gia", focal_agency=self.ministry)
        self.national_task = TaskFactory(plan=self.national, lead=self.ministry)
        self.rows = {}
        for key, province in (("a", self.a), ("b", self.b)):
            agency = AgencyFactory(
                name=f"Sở Công Thương {province.name}",
                abbreviation=f"SCT-{key}",
                province=province,
            )
            plan = PlanFactory(
                code=f"kh-{key}", focal_agency=agency, province=province, higher_plan=self.national
            )
            task = TaskFactory(plan=plan, lead=agency, higher_task=self.national_task)
            round_ = RoundFactory(plan=plan)
            submission = SubmissionFactory(round=round_, agency=agency, state=ACCEPTED)
            self.rows[key] = {
                "agencies": agency,
                "plans": plan,
                "tasks": task,
                "rounds": round_,
                "submissions": submission,
            }
        every_plan = [self.national, self.rows["a"]["plans"], self.rows["b"]["plans"]]
        _, self.token_a = api_client_create(
            name="Hệ thống tỉnh Đắk Lắk", plans=every_plan, provinces=[self.a]
        )
        _, self.token_all = api_client_create(name="Hệ thống quốc gia", plans=every_plan)


@pytest.fixture
def world() -> TwoProvinces:
    return TwoProvinces()


def get(client, url, token):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


ENDPOINTS = ["agencies", "plans", "tasks", "rounds", "submissions"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_province_token_never_lists_another_provinces_rows(client, world, endpoint):
    seen = ids(get(client, f"/api/v1/{endpoint}/", world.token_a))
    assert world.rows["a"][endpoint].pk in seen
    assert world.rows["b"][endpoint].pk not in seen


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_another_provinces_record_answers_404(client, world, endpoint):
    hidden = world.rows["b"][endpoint].pk
    own = world.rows["a"][endpoint].pk
    assert get(client, f"/api/v1/{endpoint}/{own}/", world.token_a).status_code == 200
    assert get(client, f"/api/v1/{endpoint}/{hidden}/", world.token_a).status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_unlimited_token_sees_both_provinces(client, world, endpoint):
    seen = ids(get(client, f"/api/v1/{endpoint}/", world.token_all))
    assert {world.rows["a"][endpoint].pk, world.rows["b"][endpoint].pk} <= seen


def test_national_rows_stay_visible_to_a_province_token(client, world):
    assert world.national.pk in ids(get(client, "/api/v1/plans/", world.token_a))
    assert world.national_task.pk in ids(get(client, "/api/v1/tasks/", world.token_a))
    assert world.ministry.pk in ids(get(client, "/api/v1/agencies/", world.token_a))


def test_the_provinces_endpoint_lists_the_tokens_provinces(client, world):
    assert ids(get(client, "/api/v1/provinces/", world.token_a)) == {world.a.pk}
    assert ids(get(client, "/api/v1/provinces/", world.token_all)) == {world.a.pk, world.b.pk}
    assert get(client, f"/api/v1/provinces/{world.b.pk}/", world.token_a).status_code == 404
    row = get(client, f"/api/v1/provinces/{world.a.pk}/", world.token_a).json()
    assert row == {"id": world.a.pk, "code": "dak-lak", "name": "Đắk Lắk"}


def test_plans_tasks_and_agencies_carry_province_and_cascade_links(client, world):
    own = world.rows["a"]
    plan = get(client, f"/api/v1/plans/{own['plans'].pk}/", world.token_a).json()
    assert (plan["province"], plan["higher_plan"]) == (world.a.pk, world.national.pk)
    task = get(client, f"/api/v1/tasks/{own['tasks'].pk}/", world.token_a).json()
    assert task["higher_task"] == world.national_task.pk
    agency = get(client, f"/api/v1/agencies/{own['agencies'].pk}/", world.token_a).json()
    assert agency["province"] == world.a.pk
    assert agency["abbreviation"] == "SCT-a"
    assert agency["kind"] == Agency.Kind.DEPARTMENT
    ministry = get(client, f"/api/v1/agencies/{world.ministry.pk}/", world.token_a).json()
    assert (ministry["province"], ministry["kind"]) == (None, Agency.Kind.MINISTRY)


def test_a_succeeded_agency_shows_its_successor(client, world):
    old = world.rows["a"]["agencies"]
    new = AgencyFactory(name="Sở mới", abbreviation="SM-a", province=world.a)
    Agency.objects.filter(pk=old.pk).update(succeeded_by=new)
    row = get(client, f"/api/v1/agencies/{old.pk}/", world.token_a).json()
    assert row["succeeded_by"] == new.pk
    assert "dissolved_on" in row


def test_the_scope_is_lifted_after_the_request(client, world):
    assert get(client, "/api/v1/plans/", world.token_a).status_code == 200
    assert province_scope.current() is province_scope.UNRESTRICTED
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('portal.read_provinces', true)")
        assert cursor.fetchone()[0] in ("", None)
    # The next, unlimited token is not held to the previous one's province.
    assert world.rows["b"]["plans"].pk in ids(get(client, "/api/v1/plans/", world.token_all))


def test_the_province_scope_is_set_on_the_database_session_during_the_request(
    client, world, monkeypatch
):
    seen = []
    original = views.PlanViewSet.scoped_queryset

    def spy(self, scope):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('portal.read_provinces', true)")
            seen.append(cursor.fetchone()[0])
        return original(self, scope)

    monkeypatch.setattr(views.PlanViewSet, "scoped_queryset", spy)
    get(client, "/api/v1/plans/", world.token_a)
    get(client, "/api/v1/plans/", world.token_all)
    # "": a token of every province limits no read, so the session is left as it is (the API
    # writes nothing either way)
    assert seen == [str(world.a.pk), ""]


def test_the_command_limits_a_client_to_provinces(client, world):
    out = io.StringIO()
    call_command(
        "api_client_create", "Hệ thống Khánh Hòa", "--province", "khanh-hoa",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    token = out.getvalue().strip()
    created = ApiClient.objects.get(name="Hệ thống Khánh Hòa")
    assert list(created.provinces.all()) == [world.b]
    seen = ids(get(client, "/api/v1/plans/", token))
    assert world.rows["b"]["plans"].pk in seen
    assert world.rows["a"]["plans"].pk not in seen


def test_the_command_refuses_an_unknown_province_and_creates_nothing(world):
    before = ApiClient.objects.count()
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố: khong-co"):
        call_command(
            "api_client_create", "Mới", "--province", "khong-co",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert ApiClient.objects.count() == before


def test_the_schema_without_a_token_describes_the_new_endpoints_and_fields(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # drf-spectacular's OpenAPI 3 validation
    assert {"/api/v1/provinces/", "/api/v1/agencies/{id}/"} <= set(schema["paths"])
    components = schema["components"]["schemas"]
    assert {"province", "higher_plan"} <= set(components["Plan"]["properties"])
    assert "higher_task" in components["Task"]["properties"]
    assert {"succeeded_by", "dissolved_on", "kind"} <= set(components["Agency"]["properties"])
