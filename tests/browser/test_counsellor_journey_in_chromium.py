"""The counsellor's journey in real Chromium: a person submits in Arabic; the counsellor finds
them on the overview, reads the mapping in Norwegian and downloads the archival PDF.

With KOMPASS_DOC_SCREENSHOTS=1 (`make screenshots`) the screenshots go to docs/bilder/ for the
counsellor's guide (docs/veileder.md); otherwise to a temporary folder.
"""

import io
import os
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from engine.app.config import PROJECT_ROOT
from tests.helpers import add_person
from tests.staff_helpers import PASSWORD, add_user

pytestmark = pytest.mark.browser
DOCS_IMAGES = PROJECT_ROOT / "docs" / "bilder"
WISHED_WORK = "أريد أن أعمل ممرضة"


@pytest.fixture
def shots(tmp_path):
    folder = DOCS_IMAGES if os.environ.get("KOMPASS_DOC_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=folder / f"{name}.png", full_page=True)

    return take


def counsellor_makes_a_code(page, shots) -> str:
    page.goto("/admin/login")
    page.fill("#username", "veileder")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="Kommuner").click()
    page.locator("main").get_by_role("link", name="Kompass").click()
    page.fill("#duf", "2020 0000 0000")
    page.get_by_role("button", name="Søk").click()
    shots(page, "1-personsok")
    page.get_by_role("button", name="Ja").click()
    page.get_by_role("button", name="+ Lag ny kode").click()
    shots(page, "2-ny-kode")
    return page.locator(".new-code .code").inner_text()


def person_submits_in_arabic(phone, code: str) -> None:
    phone.goto("/ar/login")
    phone.fill("#duf", "202000000000")
    phone.fill("#code", code)
    phone.locator("form button[type=submit]").click()
    phone.select_option("select[name='q.citizenship']", "SY")
    phone.select_option("select[name='q.mother_tongue']", "ar")
    phone.locator("button[value=next]:not(.default-action)").click()
    phone.goto("/ar/form/wishes")
    phone.fill("[name='q.wished_work']", WISHED_WORK)
    phone.locator("button[value=next]:not(.default-action)").click()
    expect(phone).to_have_url(re.compile(r"/ar/kompass/form/review$"))
    phone.locator("form[action$='/submit'] button").click()
    expect(phone).to_have_url(re.compile(r"/ar/kompass/form/receipt$"))


def test_counsellor_finds_reads_and_files_an_arabic_mapping(app, browser, live_server, shots):
    add_user(app, "veileder", ["bosetting"], "4601")
    add_person(app, settled_on=date.today() - timedelta(days=20))
    staff = browser.new_context(base_url=live_server, accept_downloads=True)
    page = staff.new_page()
    code = counsellor_makes_a_code(page, shots)

    person = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    person_submits_in_arabic(person.new_page(), code)
    person.close()

    page.goto("/admin/kommuner")
    page.get_by_role("link", name="Oversikt over kartlegging").click()
    row = page.locator("table tbody tr", has_text="Navn Navnesen")
    expect(row).to_contain_text("Sendt inn")
    shots(page, "3-oversikt")
    row.get_by_role("link", name="Navn Navnesen").click()
    page.get_by_role("link", name="Les kartleggingen").click()
    expect(page.locator("main")).to_contain_text("Hvilket land er du statsborger av nå?")
    expect(page.locator("main")).to_contain_text("Syria")
    expect(page.locator(".free-text[lang=ar][dir=rtl]")).to_have_text(WISHED_WORK)
    shots(page, "4-kartlegging")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned PDF (arkiv)").click()
    download = download_info.value
    assert re.fullmatch(r"kartlegging-\d+\.pdf", download.suggested_filename)
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = "".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "Syria" in text and WISHED_WORK in text and "Hvilket land" in text
    staff.close()
