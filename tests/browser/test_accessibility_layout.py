"""In Chromium: the staff person page fits a 360 px phone; Tigrinya uses the shipped font."""

import pytest
from playwright.sync_api import expect

from tests.helpers import add_person
from tests.staff_helpers import PASSWORD, add_user

pytestmark = pytest.mark.browser


def used_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium really drew the element's text with (family, web font or not)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_the_person_page_does_not_scroll_sideways_at_360_px(app, page):
    add_user(app, "veileder", ["bosetting"], "4601")
    person = add_person(app)
    page.goto("/admin/login")
    page.fill("#username", "veileder")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"/admin/personer/{person}")
    for _ in range(2):
        with page.expect_navigation():
            page.get_by_role("button", name="+ Lag ny kode").click()
    expect(page.locator("table.codes tbody tr")).to_have_count(2)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")  # measured with the page's own fonts, not a fallback
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    region = page.locator("div.wide:has(table.codes)")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside


def test_tigrinya_text_is_drawn_with_the_shipped_font(page):
    page.goto("/ti/login")
    heading = page.locator("h1")
    assert any("\u1200" <= char <= "\u137f" for char in heading.inner_text())
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Ethiopic\"', 'ሰላም')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Ethiopic')).map(f => f.status)"
    )
    assert "loaded" in loaded
    assert any(
        r.split("?")[0].endswith("/fonts/NotoSansEthiopic-Bold.subset.woff2")
        for r in page.requested
    )
    drawn = used_fonts(page, "h1")
    assert any(f["familyName"] == "Noto Sans Ethiopic" and f["isCustomFont"] for f in drawn)
