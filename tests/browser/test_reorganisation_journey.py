"""The administrator records a province merger in a real browser: fills the form, sees what
moves, saves, and the event and its effects show. Run at a phone's width (390 px)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import login, preview_merger, save_merger


def test_administrator_records_a_merger_with_a_preview(page: Page, live_server, before_merger):
    phu_yen, dak_lak = before_merger
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "quantri", "pw")
    preview_merger(page, live_server, phu_yen, dak_lak)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
    save_merger(page, phu_yen, dak_lak)
