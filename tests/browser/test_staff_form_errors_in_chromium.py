"""In Chromium: the skip link is the staff page's first Tab stop, and the empty log-in form goes
to the server (no browser bubble), which answers with a focused error summary."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_empty_staff_log_in_reaches_the_server_and_focuses_the_summary(page):
    page.goto("/admin/login")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Hopp til hovedinnhold")
    assert skip.bounding_box()["y"] >= 0  # shown when it has the focus
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    assert posted.value.status == 422
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Feil: "))
    expect(summary.locator("a")).to_have_text(
        ["Skriv inn brukernavnet ditt.", "Skriv inn passordet ditt."]
    )
    summary.locator("a[href='#password']").click()
    expect(page.locator("#password")).to_be_focused()
