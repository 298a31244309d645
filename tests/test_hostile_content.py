"""Hostile strings in every questionnaire text and interface string: nothing is injected into
any page, slip or PDF, and the allowed formatting survives."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.app.config import PROJECT_ROOT
from engine.definition.questionnaire_check import check_tree
from engine.questionnaire import richtext
from tests.hostile_content import (
    ALLOWED_HTML,
    add_respondent,
    counsellor,
    editor_pages,
    hostile_app,
    hostile_files,
    injected,
    respondent_pages,
    slip_page,
    staff_pages,
)
from tests.test_pdf import fill, text_of

pytestmark = pytest.mark.database_incidental


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
        own = re.sub(r'<script src="/static/respondent/[\w.]+(\?v=\w+)?" defer></script>', "", html)
        assert "<script" not in own.lower() and "<iframe" not in own.lower(), name
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


def test_the_check_warns_about_markup_outside_the_formatting(tmp_path):
    lines = []
    assert check_tree(hostile_files(tmp_path), lines.append)
    warnings = [line for line in lines if line.startswith("warning:")]
    assert warnings and all("[disallowed-markup]" in line for line in warnings)
    assert any("<script>" in line and "javascript:alert(3)" in line for line in warnings)
    found = [
        line.split("removed when it is shown:")[1].split("[disallowed-markup]")[0]
        for line in warnings
    ]
    assert not any("<b>" in part or "<em>" in part or "<br>" in part for part in found)
    assert all("target= on <a>" in part for part in found)


def test_no_template_marks_text_as_safe():
    """Translations and questionnaire texts reach templates as text or as `rich` Markup only."""
    templates = [
        path
        for folder in ("adminui", "renderers", "auth", "api")
        for path in (PROJECT_ROOT / folder).rglob("*.html")
    ]
    assert len(templates) > 20
    for path in templates:
        source = path.read_text("utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false", source), path


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ('<img src=x onerror="alert(1)">', ""),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="http://example.org">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="/relative">x</a>', '<a rel="noopener noreferrer">x</a>'),
        (
            '<a href="https://example.org" target="_blank" rel="opener">x</a>',
            '<a href="https://example.org" rel="noopener noreferrer">x</a>',
        ),
        (
            '<b style="color:red">b</b><i>i</i><em>e</em><strong>s</strong><br>',
            "<b>b</b><i>i</i><em>e</em><strong>s</strong><br>",
        ),
        ("<iframe src=https://example.org></iframe>x", "x"),
        ("</label><script>alert(1)</script>", ""),
        ("a < b & c", "a &lt; b &amp; c"),
    ],
)
def test_rich_keeps_only_the_allowed_formatting(text, html):
    assert str(richtext.rich(text)) == html
    assert "<" not in richtext.plain(text) or "a < b" in richtext.plain(text)


def test_every_character_rich_passes_by_comes_out_of_the_sanitiser_unchanged():
    """Each code point that `rich` lets skip the sanitiser, in runs of 2,048, as nh3 gives it."""
    skipped = [chr(c) for c in range(0x110000) if not richtext._NEEDS_CLEANING.match(chr(c))]
    for start in range(0, len(skipped), 2048):
        run = "".join(skipped[start : start + 2048])
        assert richtext.sanitised(run) == run, f"a character in {run[0]!r}..{run[-1]!r}"


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8")) | st.sampled_from(["a\xa0b", "\r\n", "\x00"]))
def test_rich_gives_what_the_sanitiser_gives_for_any_text(text):
    """Mixed texts, markup and the characters that need cleaning among them: every character
    alone is covered by the test above, so 300 examples (not 3,000) look for combinations."""
    assert str(richtext.rich(text)) == richtext.sanitised(text)


def test_problems_name_what_is_removed_and_nothing_else():
    assert richtext.problems('<b>x</b><br><a href="https://example.org">y</a>') == []
    assert richtext.problems('<a href="http://e.org" target="_blank">y</a><script>') == [
        "a link that is not https (http://e.org)",
        "target= on <a>",
        "<script>",
    ]
