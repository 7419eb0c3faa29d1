"""On a phone (390 px wide): the date picker writes dd/mm/yyyy, the main action is in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from plans.models import Agency
from reports.services import round_open
from tests.browser.conftest import login

PASSWORD = "pw"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def sct_submission(seed_plan, reviewer):
    sct = Agency.objects.get(abbreviation="SCT")
    User.objects.create_user(
        username="sct.cv", password=PASSWORD, role=User.Role.OFFICER, agency=sct
    )
    return round_open(plan=seed_plan, opened_by=reviewer, year=2026).submissions.get(agency=sct)


def test_on_a_phone_the_picker_writes_the_date_and_the_action_is_in_view(
    phone, live_server, sct_submission
):
    login(phone, live_server, "sct.cv", PASSWORD)
    action = phone.locator(f'a.js-main-action[href="/reports/submissions/{sct_submission.pk}/"]')
    expect(action).to_be_visible()
    box = action.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390

    action.click()
    date = phone.locator('#submission-form [name="document_date"]')
    assert date.get_attribute("inputmode") == "text"
    picker = date.locator("xpath=..").locator("button.js-date-picker")
    expect(picker).to_be_visible()
    native = date.locator("xpath=..").locator("input.js-native-date")
    native.fill("2026-11-15")
    expect(date).to_have_value("15/11/2026")
