"""In Chromium at 360 px: an administrator without a second factor is sent to enrolment, reads
the key from the page, confirms with a code made from it, then logs out and in with a code."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.staff_helpers import PASSWORD, add_user

pytestmark = pytest.mark.browser


def test_an_admin_enrols_from_the_page_and_logs_in_with_a_code(app, page):
    add_user(app, "bergen-admin", ["kommuneadmin"], "4601", enrolled=False)
    page.goto("/admin/login")
    page.fill("#username", "bergen-admin")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/tofaktor$"))
    expect(page.locator("svg.qr")).to_be_visible()
    key = page.locator("#secret").inner_text().replace(" ", "")
    page.fill("#code-enrol", pyotp.TOTP(key).now())
    page.get_by_role("button", name="Slå på totrinnsinnlogging").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Logg ut").click()

    page.fill("#username", "bergen-admin")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/login/kode$"))
    code = page.locator("#code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    code.fill(pyotp.TOTP(key).at(time.time() + 30))  # this step's code confirmed the enrolment
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name="Brukeradministrasjon").first.click()
    expect(page).to_have_url(re.compile(r"/admin/brukere$"))
