"""The dashboard's acceptance journey, in a real browser.

Leadership (`lanhdao`) signs in, opens the dashboard from the navigation bar, narrows it to
section IV.4 (Sở LĐ-TB&XH's four tasks, Sở Nội vụ's since the 2025 merger) with the filter form,
sees the figures change, and clicks the overdue figure through to its list.

This year's round is open and Sở Nội vụ has submitted: IV.4.1 done in 2022 (done late, it was
due in 2021), IV.4.2 still in progress (overdue), IV.4.3 and IV.4.4 in progress (ongoing).
Across the plan, five tasks are overdue: IV.1.3 (due 2022), IV.2.2, IV.4.2, IV.5.1 and IV.6.2
(due 2021); in IV.4 only IV.4.2 is.

Every dashboard page is served with a strict Content-Security-Policy (no inline script or
style) so the charts are proved to work under it.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from reports.services import round_open
from tests.browser.conftest import login
from tests.test_dashboard_figures import SGDDT, SNV, answer, submit

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'"
)


@pytest.fixture
def this_years_round(live_server, seed_plan, reviewer, leader):
    round_ = round_open(plan=seed_plan, opened_by=reviewer, year=timezone.localdate().year)
    submit(answer(round_, "SNV", SNV, {"CT4": "62.8"}))
    submit(answer(round_, "SGDĐT", SGDDT))  # IV.4.3 (the vocational schools) since 2025
    return round_


def enforce_csp(page: Page) -> list[str]:
    """Serve the dashboard pages with the policy; collect what the browser refuses."""
    refused: list[str] = []

    def with_policy(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response, headers=response.headers | {"content-security-policy": CSP}
        )

    page.route(re.compile(r"/reports/dashboard/"), with_policy)
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def test_leadership_filters_the_dashboard_and_clicks_through(
    page: Page, live_server, this_years_round, leader
):
    refused = enforce_csp(page)
    login(page, live_server, "lanhdao", "pw")

    # From the navigation bar to the dashboard of the first plan and this year.
    page.locator('nav a.nav-link[href="/reports/dashboard/"]').click()
    expect(page).to_have_url(re.compile(r"/reports/dashboard/$"))
    expect(page.locator("#fig-tasks")).to_have_text("26")
    expect(page.locator("#fig-overdue")).to_have_text("5")
    # The charts are drawn by the vendored Chart.js, from the JSON block, under the policy.
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-status') !== undefined")
    charts = ["chart-status", "chart-sections", "chart-agencies", "chart-overdue", "chart-round"]
    drawn = page.evaluate("(ids) => ids.filter((id) => Chart.getChart(id))", charts)
    assert drawn == charts
    assert page.evaluate("() => document.querySelectorAll('canvas[data-target-chart]').length")

    # Apply a filter: section IV.4. The filters land in the URL, and the figures follow.
    page.locator("#f-section").select_option("IV.4")
    with page.expect_navigation():
        page.locator('#dashboard-filters button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"[?&]section=IV\.4(&|$)"))
    expect(page.locator("#fig-tasks")).to_have_text("4")
    expect(page.locator("#fig-overdue")).to_have_text("1")
    expect(page.locator("#f-section")).to_have_value("IV.4")
    expect(page.locator("#table-status a[data-status='done_late']")).to_have_text("1")
    expect(page.locator("#table-status a[data-status='ongoing']")).to_have_text("2")

    # Click the overdue figure: its list, with the same filter, shows the matching row.
    page.locator("#fig-overdue").click()
    expect(page).to_have_url(re.compile(r"/reports/dashboard/tasks/\?.*status=overdue"))
    expect(page).to_have_url(re.compile(r"[?&]section=IV\.4(&|$)"))
    rows = page.locator("#task-list tbody tr[data-code]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-code", "IV.4.2")
    expect(rows.first.locator(".status-overdue")).to_be_visible()
    expect(page.locator("#row-count")).to_have_text("1")

    # And back: the breadcrumb keeps the filter.
    page.locator(".breadcrumb a").first.click()
    expect(page).to_have_url(re.compile(r"[?&]section=IV\.4(&|$)"))
    expect(page.locator("#fig-tasks")).to_have_text("4")

    assert refused == []
