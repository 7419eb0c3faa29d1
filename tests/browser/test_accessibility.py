"""WCAG 2.1 A/AA on every page, checked by axe-core in Chromium, at 1366 px and 390 px.

The pages come from the permission matrix (tests/test_permission_matrix.py): for each role, every
named URL its row says the role may GET (200), built with the matrix's own objects, so a page
added there is checked here too. Pages that answer with a file (XLSX, PDF, JSON) are skipped by
their content type. The administrator also gets the Django admin: every registered model's
changelist and a few change forms; everyone gets the 403 and 404 pages.

axe-core is vendored (tests/browser/vendor/axe-core, 4.14.1) and injected into each page as an
init script (the site's Content-Security-Policy refuses an added <script> tag, and the page is
checked with its policy on). No rule is switched off; on the admin's pages only, two widgets
Django ships and draws from its own scripts are left out (ADMIN_WIDGET_EXCLUDES, with why), and
so is Swagger UI's nested operation button on /api/docs/ (API_DOCS_EXCLUDES).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import test_permission_matrix as matrix
from tests.browser.conftest import login

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

# The permission matrix's world: its objects, and name → URL for each named URL.
plan_import = matrix.plan_import
world = matrix.world
TABLE = matrix.TABLE

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = [1366, 390]
HEIGHT = 900
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """([tags, exclude]) => axe.run(
    exclude.length ? {include: [document], exclude: exclude.map((s) => [s])} : document,
    {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  })))"""

NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

# Widgets that Django's admin ships and draws from its own scripts, which the portal cannot
# change: left out of the check on admin pages only, each for the reason given.
ADMIN_WIDGET_EXCLUDES = {
    # autocomplete_fields: Select2's combobox is named by the chosen value, so an empty one has
    # no name, and the inline search box of a multiple choice has no label.
    ".select2-container": "Select2 (django/contrib/admin/static/admin/js/vendor/select2)",
    # filter_horizontal: SelectFilter2.js puts aria-label on a role-less <span> beside the
    # search box's label (the label itself is fine).
    ".help-tooltip.search-label-icon": "SelectFilter2.js (django/contrib/admin/static/admin/js)",
}

# Swagger UI (drf-spectacular-sidecar) on the API documentation page, for other systems' IT
# staff: each operation's summary is a button holding the method, path and a copy button. Its
# colours and the page's language are fixed (templates/drf_spectacular, static/css/api-docs.css);
# the nesting is its own markup, drawn by its script.
API_DOCS_EXCLUDES = {
    ".opblock-summary-control": "swagger-ui-bundle.js (drf_spectacular_sidecar)",
}

ROLE_USERNAMES = {
    "officer": "stc.cv",
    "head": "stc.ld",
    "reviewer": "sct",
    "leader": "lanhdao",
    "admin_user": "admin",
}
# Models whose first object's admin change form the superuser's check opens.
ADMIN_CHANGE_FORMS = ["accounts.user", "plans.agency", "tasks.task", "reports.round"]


def role_urls(world, role: str) -> list[str]:
    """Every page the role may open, as the permission matrix says."""
    return [
        world(name)
        for name, (method, expected) in TABLE.items()
        if method == "get" and expected[role] == 200
    ]


def admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if meta.label_lower in ADMIN_CHANGE_FORMS:
            obj = model._default_manager.order_by("pk").first()
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    urls.append(reverse("admin:accounts_user_add"))
    return sorted(urls)


def violations_on(page: Page) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page, at each width, as readable lines."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.evaluate(NEXT_FRAME)  # the page's own resize handlers have run
        exclude = list(ADMIN_WIDGET_EXCLUDES) if "/admin/" in page.url else []
        if "/api/docs/" in page.url:
            exclude = list(API_DOCS_EXCLUDES)
        for v in page.evaluate(AXE_RUN, [WCAG_TAGS, exclude]):
            found.append(
                f"{page.url} @{width}px: {v['id']} ({v['impact']}: {v['help']}) at {v['targets']}"
            )
    return found


def check_pages(page: Page, live_server, urls: list[str], expected_status: int = 200) -> list[str]:
    found = []
    for url in dict.fromkeys(urls):
        head = page.request.get(live_server.url + url, max_redirects=0)
        if "text/html" not in head.headers.get("content-type", ""):
            continue  # a file download, or JSON for a script
        response = page.goto(live_server.url + url)
        assert response.status == expected_status, f"{url} answered {response.status}"
        found += violations_on(page)
    return found


@pytest.mark.parametrize("role", list(ROLE_USERNAMES))
def test_every_page_a_role_opens_has_no_wcag_violation(
    request, page: Page, live_server, world, role
):
    request.getfixturevalue(role)
    page.context.add_init_script(path=str(AXE))
    login(page, live_server, ROLE_USERNAMES[role], "pw")
    urls = role_urls(world, role)
    if role == "admin_user":
        urls += admin_urls()
    found = check_pages(page, live_server, urls)
    if role == "officer":  # refused and not found: the error pages
        found += check_pages(page, live_server, [reverse("reports:rounds")], expected_status=403)
    found += check_pages(page, live_server, ["/no-such-page/"], expected_status=404)
    assert not found, "\n".join(found)


def test_the_pages_open_to_everyone_have_no_wcag_violation(page: Page, live_server, world):
    page.context.add_init_script(path=str(AXE))
    urls = role_urls(world, "anonymous") + [reverse("admin:login")]
    found = check_pages(page, live_server, urls)
    found += check_pages(page, live_server, ["/no-such-page/"], expected_status=404)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_skip_link_shows_when_focused_and_moves_focus_to_main(
    page: Page, live_server, officer, width
):
    login(page, live_server, "stc.cv", "pw")
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    link = page.locator("a.portal-skip-link")
    expect(link).to_be_focused()
    box = link.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    assert 0 <= box["x"] and box["x"] + box["width"] <= width
    assert 0 <= box["y"] and box["y"] + box["height"] <= HEIGHT
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('a.portal-skip-link') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top, "something paints over the focused skip link"
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_the_language_select_does_not_navigate_on_arrow_down(page: Page, live_server, officer):
    login(page, live_server, "stc.cv", "pw")
    page.goto(f"{live_server.url}/notifications/")
    url = page.url
    select = page.locator("#portal-language-select")
    before = select.input_value()
    select.focus()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert navigations == [] and page.url == url
    assert select.input_value() != before  # the choice moved, and waits to be applied
    # Applying it is a deliberate act: Enter on the select submits the form.
    page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_attribute("lang", before)
    assert page.url == url


CONTRAST = """([selector, against]) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const bg = getComputedStyle(document.querySelector(against)).backgroundColor;
  const [a, b] = [lum(rgb(style.outlineColor)), lum(rgb(bg))].sort((x, y) => y - x);
  const ratio = (a + 0.05) / (b + 0.05);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio: ratio};
}"""


@pytest.mark.parametrize(
    ("selector", "against"),
    [
        ("main a", "body"),  # a link on the grey page
        ("nav a.nav-link", ".portal-navbar"),  # a link on the blue navigation bar
    ],
)
def test_the_focus_ring_stands_out_3_to_1(page: Page, live_server, officer, selector, against):
    login(page, live_server, "stc.cv", "pw")
    page.goto(f"{live_server.url}/plans/")
    page.keyboard.press("Tab")  # keyboard use: programmatic focus now shows :focus-visible
    page.locator(selector).first.focus()
    assert page.evaluate("(s) => document.querySelector(s).matches(':focus-visible')", selector)
    ring = page.evaluate(CONTRAST, [selector, against])
    assert ring["style"] == "solid" and ring["width"] >= 2
    assert ring["ratio"] >= 3, ring


def test_the_current_page_is_marked_in_the_navigation_by_more_than_colour(
    page: Page, live_server, leader
):
    login(page, live_server, "lanhdao", "pw")
    page.goto(f"{live_server.url}{reverse('dashboard:index')}")
    current = page.locator("nav a.nav-link[aria-current='page']")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", reverse("dashboard:index"))
    bar = "(el) => getComputedStyle(el).boxShadow"
    assert "inset" in current.evaluate(bar)
    other = page.locator(f"nav a.nav-link[href='{reverse('annual:list')}']")
    assert other.evaluate(bar) == "none"
