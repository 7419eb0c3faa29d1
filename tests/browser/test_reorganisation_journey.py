"""The administrator records a province merger in a real browser: fills the form, sees what
moves, saves, and the event and its effects show. Run at a phone's width (390 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from organisation.models import Reorganisation
from plans.models import Agency
from tests.browser.conftest import login
from tests.factories import UserFactory


@pytest.fixture
def before_merger(live_server, seed_plan) -> tuple[Agency, Agency]:
    """The seed's map with the province merger not yet recorded."""
    phu_yen = Agency.objects.get(abbreviation="UBNDPY")
    dak_lak = Agency.objects.get(abbreviation="UBNDĐL")
    Agency.objects.filter(pk=phu_yen.pk).update(succeeded_by=None, succeeded_on=None)
    Agency.objects.filter(parent=dak_lak).exclude(kind=Agency.Kind.GROUP).update(parent=phu_yen)
    UserFactory(username="quantri", role=User.Role.ADMIN)
    return phu_yen, dak_lak


def test_administrator_records_a_merger_with_a_preview(page: Page, live_server, before_merger):
    phu_yen, dak_lak = before_merger
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "quantri", "pw")
    page.goto(f"{live_server.url}/agencies/reorganisations/new/")

    page.select_option("#id_kind", "merge")
    page.fill("#id_effective_on", "01/07/2025")
    page.select_option("#id_sources", str(phu_yen.pk))
    page.select_option("#id_successor", str(dak_lak.pk))
    page.fill("#id_legal_basis", "Nghị quyết số 202/2025/QH15")
    page.get_by_role("button", name="Xem trước").click()

    preview = page.locator("#preview")
    expect(preview).to_contain_text("Những gì thay đổi")
    expect(preview).to_contain_text("Sở Công Thương")
    expect(preview).to_contain_text("kế hoạch vẫn là của Ủy ban nhân dân tỉnh Phú Yên")
    assert Reorganisation.objects.count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"

    page.get_by_role("button", name="Lưu và áp dụng").click()
    expect(page.locator("h1")).to_contain_text("Sáp nhập vào cơ quan khác · 01/07/2025")
    expect(page.locator("body")).to_contain_text("Đã ghi nhận và áp dụng")
    phu_yen.refresh_from_db()
    assert phu_yen.succeeded_by == dak_lak
    assert Agency.objects.get(abbreviation="SCT").parent == dak_lak
