"""The staff journey in real Chromium: an administrator creates a counsellor, the counsellor
finds a person, makes and prints a code, and the person logs in with it."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import add_person
from tests.staff_helpers import add_user, log_in_in_browser

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a long new password 42"
NEW_USER = {
    "#username": "ny-veileder",
    "#first_name": "Nora",
    "#last_name": "Veileder",
    "#email": "nora@bergen.kommune.no",
    "#phone": "99999000",
}


def test_admin_creates_counsellor_who_gives_a_code_the_person_uses(app, browser, live_server):
    add_user(app, "bergen-admin", ["kommuneadmin"], "4601")
    add_person(app)
    context = browser.new_context(base_url=live_server)
    page = context.new_page()

    log_in_in_browser(page, app, "bergen-admin")
    page.get_by_role("link", name="Brukeradministrasjon").first.click()
    page.get_by_role("link", name="Opprett bruker").click()
    for field, value in NEW_USER.items():
        page.fill(field, value)
    page.get_by_role("button", name="Lagre").click()
    initial = page.locator(".new-code .code").inner_text()
    page.select_option("#role", "bosetting")
    page.get_by_role("button", name="Legg til rolle").click()
    expect(page.locator("ul.roles")).to_contain_text("Bosettingskommune kompetansekartlegging")
    page.get_by_role("button", name="Logg ut").click()

    log_in_in_browser(page, app, "ny-veileder", initial)
    expect(page).to_have_url(re.compile(r"/admin/password$"))
    page.fill("#current", initial)
    page.fill("#new", NEW_PASSWORD)
    page.fill("#repeat", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="Kommuner").click()
    page.locator("main").get_by_role("link", name="Kompass").click()
    expect(page.locator("h1")).to_have_text("Tildele koder til innlogging")
    page.fill("#duf", "2020 0000 0000")
    page.get_by_role("button", name="Søk").click()
    expect(page.locator("table.summary")).to_contain_text("Navn Navnesen")
    assert "202000000000" not in page.url
    page.get_by_role("button", name="Ja").click()
    page.get_by_role("button", name="+ Lag ny kode").click()
    code = page.locator(".new-code .code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    expect(page.locator("table.codes tbody tr").first).to_contain_text("Gyldig")
    page.select_option("#slip_lang", "ar")
    with context.expect_page() as slip_info:
        page.locator(".new-code button[type=submit]").click()
    slip = slip_info.value
    expect(slip.locator(".slip-codes")).to_contain_text(code)
    expect(slip.locator("section[lang=ar][dir=rtl]")).to_be_visible()
    context.close()

    person = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    phone = person.new_page()
    phone.goto("/")
    phone.get_by_role("link", name="العربية", exact=True).click()
    phone.fill("#duf", "202000000000")
    phone.fill("#code", code)
    phone.locator("form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/ar/kompass/form/personal$"))
    person.close()
