"""Changing one answer from the check-answers page, on a phone, in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import make_code

pytestmark = pytest.mark.browser
NEXT = "button[value=next]:not(.default-action)"


def test_one_answer_is_changed_and_the_focus_comes_back_to_it(page, runner):
    duf = "202000000401"
    code = make_code(runner, duf)
    page.goto("/nb/login")
    page.fill("#duf", duf)
    page.fill("#code", code)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.goto("/nb/form/licence")
    page.locator("input[name='q.has_licence'][value=no]").check()
    with page.expect_navigation():
        page.click(NEXT)
    page.goto("/nb/form/review")
    with page.expect_navigation():
        page.locator("a[href$='/form/change/has_licence']").click()
    expect(page.locator("nav.progress")).to_have_count(0)
    expect(page.locator("[data-question]:visible")).to_have_count(1)
    page.locator("input[name='q.has_licence'][value=yes]").check()  # its follow-ups appear
    expect(page.locator("#q-driving_years")).to_be_visible()
    page.fill("input[name='q.driving_years']", "4")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click(NEXT)
    expect(page).to_have_url(re.compile(r"/nb/kompass/form/review#answer-has_licence$"))
    expect(page.locator("#answer-has_licence")).to_be_focused()
    expect(page.locator("#answer-driving_years")).to_contain_text("4")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
