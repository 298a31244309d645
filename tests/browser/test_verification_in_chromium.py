"""In real Chromium: a counsellor marks a section of a submitted mapping as gone through with
the person, in Norwegian, and sees the mark in the profile, the overview and the archival PDF;
a respondent sees "Sjekk dette" on the review page with a link to the question."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import respondent_log_in
from tests.browser.test_accessibility import Auditor
from tests.helpers import add_person, make_code
from tests.staff_helpers import add_user, log_in_in_browser
from tests.test_export import answered
from tests.test_soft_checks import UNIVERSITY, store

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
    form = section.get_by_role("group", name="Verifiser delen Personopplysninger")
    form.get_by_label("Må følges opp").check()
    section.get_by_role("button", name="Lagre verifisering").click()
    section = page.locator("#section-personal")
    expect(section.locator(".verified-state")).to_contain_text("Må følges opp – Veileder Test")
    section.get_by_text("Tidligere markeringer (1)").click()
    expect(section.locator(".verification-history li")).to_contain_text(NOTE)
    audit = Auditor()
    audit(page, "mapping with a verified section")
    audit.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned PDF (arkiv)").click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = " ".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "Må følges opp" in text and "Gått gjennom med personen" in text and NOTE in text
    assert "Lagre verifisering" not in text  # the form is not in the archive
    context.close()


def test_the_review_page_asks_to_check_with_a_link_and_passes_axe(app, browser, live_server):
    code = make_code(app.test_cli_runner())
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    respondent_log_in(page, "nb", "202000000000", code)
    store(app, "nb", personal={"citizenship": "SY", "mother_tongue": "ar"}, education=UNIVERSITY)
    page.goto("/nb/form/review")
    check = page.get_by_role("note", name="Sjekk dette")
    expect(check).to_contain_text("Du skrev at du ikke har gått på skole")
    audit = Auditor()
    audit(page, "review with Check this, 360 px")
    audit.check()
    check.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/nb/kompass/form/education#q-school_years$"))
    context.close()
