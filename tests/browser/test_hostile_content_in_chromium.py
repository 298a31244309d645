"""Hostile questionnaire texts and interface strings in Chromium: no dialog opens, no injected
element exists, and the allowed formatting is there."""

import pytest

from tests.helpers import make_code
from tests.hostile_content import (
    DUF,
    add_respondent,
    counsellor,
    editor_pages,
    hostile_app,
    slip_page,
    staff_pages,
)
from tests.test_pdf import fill

# The questionnaire's own pictures are images (a published one by URL, a draft's in the editor's
# preview as sanitised SVG data): an <img> runs no script, any other is injected.
PICTURE = ":not([src^='/images/']):not([src^='data:image/svg+xml;base64,'])"
INJECTED = (
    f"script:not([src^='/static/respondent/']), iframe, img{PICTURE}, svg, object, embed, "
    "[onerror], "
    "[onload], [onmouseover], [onfocus], [onclick], [style], a[href^='javascript:'], "
    "a[href^='http:'], a[target]"
)
SECTIONS = ("personal", "education", "language", "digital", "licence", "work", "wishes")


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    application = hostile_app(database_url, tmp_path, monkeypatch)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def assert_clean(page, where: str, formatted: bool = True) -> None:
    found = page.eval_on_selector_all(INJECTED, "nodes => nodes.map(n => n.outerHTML)")
    assert found == [], where
    if formatted:
        assert page.locator("b", has_text="bold").count() > 0, where
        link = page.locator("a[href='https://example.org/ok']").first
        assert link.get_attribute("rel") == "noopener noreferrer", where


def test_hostile_pages_open_no_dialog_and_hold_no_injected_element(app, page, monkeypatch):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    person_id = add_respondent(app)
    code = make_code(app.test_cli_runner(), DUF)
    page.goto("/en/login")
    page.fill("#duf", DUF)
    page.fill("#code", code)
    page.click("button[type=submit]")
    for section in SECTIONS:
        page.goto(f"/en/form/{section}?beside=nb")
        page.hover("h1")
        assert_clean(page, section)
    page.goto("/en/form/review?beside=nb")
    assert_clean(page, "review")
    staff = counsellor(app)
    slip = slip_page(staff, person_id)
    fill(app, person_id, "ar")
    shown, _pdfs = staff_pages(staff, monkeypatch, person_id)
    # The same HTML without the server's Content-Security-Policy: nothing may run even then.
    served = {"slip": slip, **shown, **editor_pages(app)}
    for name, html in served.items():
        page.set_content(html)
        assert_clean(page, name, formatted=name not in ("slip", "person", "versions", "version"))
    assert dialogs == []
