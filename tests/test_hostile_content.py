"""Hostile strings in every questionnaire text and interface string: nothing is injected into
any page, slip or PDF, and the allowed formatting survives."""

import pytest

from engine.questionnaire_check import check_tree
from tests.hostile_content import (
    ALLOWED_HTML,
    add_respondent,
    counsellor,
    editor_pages,
    hostile_app,
    injected,
    respondent_pages,
    slip_page,
    staff_pages,
)
from tests.test_pdf import fill, text_of


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    application = hostile_app(database_url, tmp_path, monkeypatch)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def test_no_page_slip_or_pdf_shows_injected_markup(app, monkeypatch):
    person_id = add_respondent(app)
    pages = respondent_pages(app, app.test_client())
    staff = counsellor(app)
    pages["slip"] = slip_page(staff, person_id)
    fill(app, person_id, "ar")
    shown, pdfs = staff_pages(staff, monkeypatch, person_id)
    pages |= shown
    pages |= editor_pages(app)
    for name, html in pages.items():
        assert injected(html) == [], name
        assert "<script" not in html.lower() and "<iframe" not in html.lower(), name
    for name in (
        "section personal",
        "section with errors",
        "review",
        "profile",
        "mapping pdf html",
    ):
        assert all(allowed in pages[name] for allowed in ALLOWED_HTML), name
    assert "<title>" in pages["section personal"]
    assert "&lt;script&gt;alert(8)" in pages["section personal"]  # the interface string, as text
    assert (
        "&lt;script&gt;alert(8)" in pages["slip"] and "&lt;script&gt;alert(8)" in pages["profile"]
    )
    for name, data in pdfs.items():
        text = text_of(data)
        assert "bold" in text and "link" in text, name
        assert "alert(1)" not in text and "alert(4)" not in text, name  # script content dropped


def test_the_check_warns_about_markup_outside_the_formatting(app, tmp_path):
    lines = []
    assert check_tree(tmp_path / "questionnaires", lines.append)
    warnings = [line for line in lines if line.startswith("warning:")]
    assert warnings and all("[disallowed-markup]" in line for line in warnings)
    assert any("<script>" in line and "javascript:alert(3)" in line for line in warnings)
    found = [
        line.split("removed when it is shown:")[1].split("[disallowed-markup]")[0]
        for line in warnings
    ]
    assert not any("<b>" in part or "<em>" in part or "<br>" in part for part in found)
    assert all("target= on <a>" in part for part in found)
