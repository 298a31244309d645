"""Pictures beside texts in Chromium: they load, their alternative text is in the page's
language (and in the second column's language side by side), and a phone never scrolls sideways."""

import pytest
import yaml
from playwright.sync_api import expect

from engine.app.config import PROJECT_ROOT
from tests.browser.conftest import respondent_log_in
from tests.helpers import make_code

pytestmark = pytest.mark.browser

TRANSLATIONS = PROJECT_ROOT / "questionnaires" / "kompass" / "1" / "translations"
PICTURES = """() => [...document.querySelectorAll('main img')].map(img => ({
    alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
    lang: img.closest('[lang]').lang, width: img.getBoundingClientRect().width}))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def alt_texts(lang: str) -> set[str]:
    data = yaml.safe_load((TRANSLATIONS / f"{lang}.yaml").read_text("utf-8"))
    return {entry["alt"] for entry in data["images"].values()}


def licence_page(page, lang: str, beside: str = "") -> list[dict]:
    """The licence section with its follow-ups shown (a section picture, 15 class pictures)."""
    page.goto(f"/{lang}/form/licence?beside={beside}")
    page.locator("input[name='q.has_licence'][value='yes']").check()
    with page.expect_navigation():
        page.click("button[value=next]:not(.default-action)")
    page.goto(f"/{lang}/form/licence")
    expect(page.locator("input[name='q.licence_categories']")).to_have_count(15)
    page.wait_for_load_state("load")
    return page.evaluate(PICTURES)


@pytest.mark.parametrize("lang", ["ar", "ti", "nb"])
def test_pictures_load_with_alt_text_in_the_page_language_on_a_phone(app, runner, page, lang):
    duf = {"ar": "202000000301", "ti": "202000000302", "nb": "202000000303"}[lang]
    respondent_log_in(page, lang, duf, make_code(runner, duf))
    pictures = licence_page(page, lang)
    assert len(pictures) == 16
    own = alt_texts(lang)
    for picture in pictures:
        assert picture["loaded"], picture
        assert picture["alt"] in own and picture["lang"] == lang, picture
        assert 40 <= picture["width"] <= 64, picture
    assert page.evaluate(SIDEWAYS) <= 0
    page.goto(f"/{lang}/form/digital")
    page.wait_for_load_state("load")
    assert all(p["loaded"] and p["alt"] in own for p in page.evaluate(PICTURES))
    assert page.evaluate(SIDEWAYS) <= 0


def test_side_by_side_each_column_has_the_picture_with_its_own_language(app, runner, page):
    duf = "202000000304"
    respondent_log_in(page, "ar", duf, make_code(runner, duf))
    pictures = licence_page(page, "ar", "nb")
    arabic = [p for p in pictures if p["lang"] == "ar"]
    norwegian = [p for p in pictures if p["lang"] == "nb"]
    assert len(arabic) == len(norwegian) == 16
    assert {p["alt"] for p in arabic} <= alt_texts("ar")
    assert {p["alt"] for p in norwegian} <= alt_texts("nb")
    assert all(p["loaded"] for p in pictures)
    assert page.evaluate(SIDEWAYS) <= 0
