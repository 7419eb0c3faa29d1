"""Sở Công Thương's officer home at 1366 px: a readable task column, badges not clipped."""

from __future__ import annotations

import pytest

from accounts.models import User
from plans.models import Agency
from reports.services import round_open
from tasks.models import Task
from tests.browser.conftest import login

PASSWORD = "pw"


@pytest.fixture
def desktop(browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_the_task_column_is_wide_and_badges_are_whole(desktop, live_server, seed_plan, reviewer):
    sct = Agency.objects.get(abbreviation="SCT")
    User.objects.create_user(
        username="sct.cv", password=PASSWORD, role=User.Role.OFFICER, agency=sct
    )
    round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    # Timeframes as plans write them: long, and before the fix kept on one line.
    Task.objects.filter(lead=sct).update(
        timeframe_text="Thường xuyên hằng năm, giai đoạn 2021 - 2025 và định hướng đến năm 2030 "
        "theo kế hoạch của Ủy ban nhân dân tỉnh"
    )
    login(desktop, live_server, "sct.cv", PASSWORD)
    table = desktop.locator("#my-tasks").locator("xpath=..").locator("table")
    widths = table.locator("tbody tr td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    print(
        "task column widths:",
        sorted(widths)[:3],
        "page height:",
        desktop.evaluate("document.documentElement.scrollHeight"),
    )
    assert widths and min(widths) > 250
    clipped = table.locator(".badge").evaluate_all(
        """badges => badges.filter(b => {
            const r = b.getBoundingClientRect();
            const cell = b.closest('td').getBoundingClientRect();
            return b.scrollWidth > b.clientWidth + 1 || r.right > cell.right + 1
                   || r.right > document.documentElement.clientWidth;
        }).length"""
    )
    assert clipped == 0
