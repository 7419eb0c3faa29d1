"""The dashboard pages: who sees them, the filters in the URL, and each figure's click-through.

The data is the fixture round of test_dashboard_figures (its docstring has the table), seen on
12/12/2026: 26 tasks, 6 due, 2 of them done, 4 overdue (IV.6.2 12 days, IV.5.1 103 days, IV.2.2
and IV.4.2 1807 days).
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from plans.models import Agency, Target
from tests.factories import UserFactory
from tests.test_dashboard_figures import at, round_world  # noqa: F401 (fixture)

DASHBOARD = reverse("dashboard:index")
TASKS = reverse("dashboard:tasks")


@pytest.fixture
def on_12_december():
    with at(12, 12):
        yield


@pytest.fixture
def leader_client(client, leader, on_12_december):
    client.force_login(leader)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def link(response, element_id: str) -> str:
    match = re.search(rf'id="{element_id}" href="([^"]+)"', response.content.decode())
    assert match, f"no link #{element_id}"
    return html.unescape(match.group(1))


def figure(response, element_id: str) -> str:
    match = re.search(rf'id="{element_id}" href="[^"]+">([^<]+)</a>', response.content.decode())
    assert match, f"no figure #{element_id}"
    return html.unescape(match.group(1)).strip()


def codes(response) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)"', response.content.decode())


# --- who may look -----------------------------------------------------------------------------


def test_it_requires_sign_in(client, seed_plan):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["officer", "head", "other_officer"])
def test_agency_users_are_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(TASKS).status_code == 403


@pytest.mark.parametrize("role", ["leader", "reviewer", "admin_user"])
def test_leadership_the_focal_point_and_the_administrator_see_it(client, request, seed_plan, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(TASKS).status_code == 200


def test_a_reviewer_of_another_agency_is_refused(client, seed_plan, other_agency):
    client.force_login(UserFactory(username="skhcn.reviewer", reviewer=True, agency=other_agency))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(DASHBOARD, {"plan": seed_plan.pk}).status_code == 403
    target = Target.objects.get(plan=seed_plan, code="CT1")
    assert client.get(reverse("dashboard:target", args=[target.pk])).status_code == 403


def test_an_unknown_plan_is_not_found(client, leader, seed_plan):
    client.force_login(leader)
    assert client.get(DASHBOARD, {"plan": seed_plan.pk + 1000}).status_code == 404
    assert client.get(DASHBOARD, {"plan": "abc"}).status_code == 404


def test_the_navigation_bar_links_the_dashboard_for_those_who_may_see_it(client, leader, officer):
    client.force_login(leader)
    assert f'href="{DASHBOARD}"' in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(officer)
    assert f'href="{DASHBOARD}"' not in client.get(reverse("home")).content.decode()


# --- the figures and the filters ------------------------------------------------------------------


def test_the_headline_figures(leader_client, round_world, seed_plan):  # noqa: F811
    response = leader_client.get(DASHBOARD)
    board = response.context["board"]
    assert (board.plan, board.year) == (seed_plan, 2026)  # the defaults: first plan, this year
    assert response.context["headline"] == {
        "tasks": 26,
        "due": 6,
        "done_of_due": 2,
        "overdue_of_due": 4,
        "pct_done": 33.3,
        "pct_overdue": 66.7,
    }
    assert figure(response, "fig-tasks") == "26"
    assert figure(response, "fig-overdue") == "4"
    assert figure(response, "fig-done") == "33,3%"  # Vietnamese decimal comma
    assert figure(response, "fig-old") == "2"
    with translation.override("vi"):
        past = ngettext("%(n)s day past the due date", "%(n)s days past the due date", 2)
    assert past % {"n": 2} in text(response)  # the round was due on 10/12


def test_filters_live_in_the_url(leader_client, round_world, seed_plan):  # noqa: F811
    snv = Agency.objects.get(abbreviation="SNV")
    response = leader_client.get(DASHBOARD, {"plan": seed_plan.pk, "section": "IV.4"})
    assert figure(response, "fig-tasks") == "4"
    assert figure(response, "fig-overdue") == "1"  # IV.4.2
    overdue = link(response, "fig-overdue")
    assert "section=IV.4" in overdue and "status=overdue" in overdue

    response = leader_client.get(DASHBOARD, {"agency": snv.pk, "year": 2026})
    assert figure(response, "fig-tasks") == "5"  # IV.4.1, 2, 4, IV.12.1–2 (IV.4.3: Sở GD&ĐT)
    ranking = response.context["round_info"]["agencies"]
    assert [item["row"].agency for item in ranking] == [snv]
    assert f"agency={snv.pk}" in link(response, "fig-tasks")


def test_filters_it_does_not_know_are_ignored(leader_client, round_world):  # noqa: F811
    response = leader_client.get(DASHBOARD, {"section": "IX", "agency": "999999", "year": "x"})
    board = response.context["board"]
    assert (board.section, board.agency, board.year) == ("", None, 2026)
    assert figure(response, "fig-tasks") == "26"


def test_a_year_before_the_round_shows_no_round(leader_client, round_world, seed_plan):  # noqa: F811
    response = leader_client.get(DASHBOARD, {"plan": seed_plan.pk, "year": 2024})
    assert response.status_code == 200
    assert 'id="no-round"' in response.content.decode()
    assert response.context["board"].as_of.isoformat() == "2024-12-31"


# --- every figure clicks through to its list ---------------------------------------------------


def test_the_overdue_figure_opens_the_overdue_tasks(leader_client, round_world):  # noqa: F811
    response = leader_client.get(link(leader_client.get(DASHBOARD), "fig-overdue"))
    assert response.status_code == 200
    assert codes(response) == ["IV.2.2", "IV.4.2", "IV.5.1", "IV.6.2"]


def test_the_age_buckets_open_their_tasks_oldest_first(leader_client, round_world):  # noqa: F811
    response = leader_client.get(link(leader_client.get(DASHBOARD), "fig-old"))
    assert codes(response) == ["IV.2.2", "IV.4.2"]
    assert "1807" in text(response)
    assert codes(leader_client.get(TASKS, {"bucket": "0-30"})) == ["IV.6.2"]
    assert codes(leader_client.get(TASKS, {"bucket": "31-120"})) == ["IV.5.1"]


def test_the_done_among_due_figure_opens_the_tasks_due(leader_client, round_world):  # noqa: F811
    response = leader_client.get(link(leader_client.get(DASHBOARD), "fig-done"))
    assert codes(response) == ["IV.1.3", "IV.2.2", "IV.4.1", "IV.4.2", "IV.5.1", "IV.6.2"]


def test_status_counts_open_their_tasks(leader_client, round_world):  # noqa: F811
    response = leader_client.get(DASHBOARD)
    overall = {row["value"]: row for row in response.context["overall"]}
    assert overall["ongoing"]["count"] == 5
    listed = leader_client.get(overall["ongoing"]["url"])
    assert codes(listed) == ["IV.1.1", "IV.1.2", "IV.4.3", "IV.4.4", "IV.8.1"]
    by_agency = {row["label"]: row for row in response.context["by_agency"]}
    snv_overdue = next(s for s in by_agency["Sở Nội vụ"]["statuses"] if s["value"] == "overdue")
    assert snv_overdue["count"] == 1
    assert codes(leader_client.get(snv_overdue["url"])) == ["IV.4.2"]
    by_section = {row["label"].split(". ")[0]: row for row in response.context["by_section"]}
    assert codes(leader_client.get(by_section["IV.12"]["url"])) == ["IV.12.1", "IV.12.2"]


def test_the_task_list_shows_lead_status_age_and_latest_results(leader_client, round_world):  # noqa: F811
    response = leader_client.get(TASKS, {"status": "overdue"})
    page = text(response)
    assert "Sở Lao động - Thương binh và Xã hội (nay là Sở Nội vụ)" in page  # IV.4.2's lead
    assert "status-overdue" in page
    row = re.search(r'<tr data-code="IV.4.2">.*?</tr>', page, re.S).group(0)
    assert "1807" in row and "Kết quả IV.4.2" in row  # SNV's submitted report
    response = leader_client.get(TASKS, {"status": "done_on_time"})
    assert codes(response) == ["IV.1.3", "IV.12.1"]


def test_round_figures_open_the_round_board(leader_client, round_world):  # noqa: F811
    response = leader_client.get(DASHBOARD)
    info = response.context["round_info"]
    states = {row["value"]: row for row in info["state_rows"]}
    assert states["returned"]["count"] == 1
    assert states["returned"]["url"] == (
        reverse("reports:round", args=[round_world.pk]) + "?state=returned"
    )
    board = leader_client.get(states["returned"]["url"])
    assert [s.agency.abbreviation for s in board.context["submissions"]] == ["STC"]
    missing = next(row for row in info["timeliness_rows"] if row["value"] == "missing")
    board = leader_client.get(missing["url"])
    assert {s.agency.abbreviation for s in board.context["submissions"]} == {
        "SNNMT",
        "SKHCN",
        "XAPY",
    }


def test_agencies_are_ranked_and_click_through(leader_client, round_world):  # noqa: F811
    response = leader_client.get(DASHBOARD)
    ranking = response.context["round_info"]["agencies"]
    assert [item["row"].agency.abbreviation for item in ranking] == [
        "SCT",
        "STC",
        "BQLKKT",
        "SNV",
        "SGDĐT",
        "SNNMT",
        "SKHCN",
        "XAPY",
    ]
    snv = ranking[3]
    assert snv["round_url"].endswith("?timeliness=late")
    assert len(codes(leader_client.get(snv["tasks_url"]))) == 5


def test_a_target_card_opens_its_values_year_by_year(leader_client, round_world, seed_plan):  # noqa: F811
    response = leader_client.get(DASHBOARD)
    ct1 = next(t for t in response.context["targets"] if t["target"].code == "CT1")
    assert ct1["figure"].latest == Decimal("28.6")
    detail = leader_client.get(ct1["url"])
    assert detail.status_code == 200
    rows = [(r["year"], r["actual"], r["path"]) for r in detail.context["rows"]]
    assert rows == [(2026, Decimal("28.6"), None), (2030, None, Decimal("37.4"))]
    assert "28,6" in text(detail)


# --- the page obeys the Content-Security-Policy ---------------------------------------------------


@pytest.mark.parametrize("page_name", ["dashboard:index", "dashboard:tasks", "dashboard:target"])
def test_no_inline_script_style_or_handler(leader_client, round_world, page_name):  # noqa: F811
    args = [Target.objects.get(code="CT1").pk] if page_name == "dashboard:target" else []
    page = leader_client.get(reverse(page_name, args=args)).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)


def test_the_chart_figures_are_passed_as_json(leader_client, round_world):  # noqa: F811
    import json

    response = leader_client.get(DASHBOARD)
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    data = json.loads(match.group(1))
    assert [item["count"] for item in data["status"]] == [2, 1, 1, 4, 2, 5, 11]
    assert [item["count"] for item in data["overdue"]] == [1, 1, 2]
    assert [item["count"] for item in data["round"]] == [2, 1, 2, 1, 1, 1]
    assert len(data["sections"]["labels"]) == 12
    ct1 = Target.objects.get(code="CT1")
    assert data["targets"][str(ct1.pk)]["actual"][-1] is None  # 2030: not yet
