"""A counsellor marks a section of a submitted mapping as gone through with the person, in
Norwegian, in real Chromium, and sees the mark in the profile and in the archival PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.helpers import add_person
from tests.staff_helpers import add_user, log_in_in_browser
from tests.test_export import answered

pytestmark = pytest.mark.browser
NOTE = "Gikk gjennom vitnemålet med tolk."


def test_a_counsellor_marks_a_section_and_sees_it_in_the_profile_and_pdf(app, browser, live_server):
    add_user(app, "veileder", ["bosetting"], "4601")
    person = add_person(app)
    answered(app, person)
    context = browser.new_context(base_url=live_server, accept_downloads=True)
    page = context.new_page()
    log_in_in_browser(page, app, "veileder")
    page.goto(f"/admin/personer/{person}/kartlegging")
    section = page.locator("#section-personal")
    expect(section.locator(".verified-state")).to_have_text("Ikke verifisert.")
    form = section.get_by_role("group", name="Verifiser delen Personopplysninger")
    form.get_by_label("Gått gjennom med personen").check()
    form.get_by_label("Notat (valgfritt)").fill(NOTE)
    section.get_by_role("button", name="Lagre verifisering").click()
    section = page.locator("#section-personal")
    expect(section.locator(".verified-state")).to_contain_text(
        "Gått gjennom med personen – Veileder Test"
    )
    expect(section.locator(".verification-note")).to_have_text(f"Notat: {NOTE}")
    expect(page.locator(".mapping-facts")).to_contain_text("1 av 8 deler gått gjennom med personen")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned PDF (arkiv)").click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = " ".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "Gått gjennom med personen" in text and NOTE in text
    assert "Lagre verifisering" not in text  # the form is not in the archive
    context.close()
