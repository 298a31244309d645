"""Lists in the reader's script, in Chromium: after log-in, a section's country and language
lists in uk, am, ar, ckb and ti lead with the common languages and name everything in the
page's script or in the name's own language, never in English."""

import re

import pytest
from playwright.sync_api import expect

from engine.definition.cldr_lists import COUNTRIES, LANGUAGES
from tests.browser.conftest import respondent_log_in
from tests.helpers import make_code

pytestmark = pytest.mark.browser

SCRIPTS = {
    "uk": r"[\u0400-\u04ff]",
    "am": r"[\u1200-\u137f]",
    "ti": r"[\u1200-\u137f]",
    "ar": r"[\u0600-\u06ff]",
    "ckb": r"[\u0600-\u06ff]",
}
FIRST = {"uk": "Українська", "am": "አማርኛ", "ti": "ትግርኛ", "ar": "العربية", "ckb": "کوردی (سۆرانی)"}
KURMANJI = {
    "uk": "Курманджі (північнокурдська)",
    "am": "ኩርማንጂ (የሰሜን ኩርድኛ)",
    "ti": "ኩርማንጂ (ሰሜናዊ ኩርዲሽ)",
    "ar": "الكرمانجية (الكردية الشمالية)",
    "ckb": "کوردی (کورمانجی)",
}


@pytest.fixture
def wide_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server)
    yield context.new_page()
    context.close()


def shown_options(page, name: str) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            f"select[name='{name}'] option", "os => os.map(o => [o.value, o.textContent])"
        )
    )


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_a_section_lists_languages_and_countries_in_the_page_script(app, runner, wide_page, lang):
    duf = "202000000300"
    page = wide_page
    respondent_log_in(page, lang, duf, make_code(runner, duf))
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/personal$"))
    kompass = app.extensions["kompass"].registry
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        cldr = kompass.active(session).cldr
    script = re.compile(SCRIPTS[lang])
    for name, kind in (("q.mother_tongue", LANGUAGES), ("q.citizenship", COUNTRIES)):
        options = shown_options(page, name)
        english = cldr.fallback[kind]
        stand_ins = [
            text for value, text in options.items()
            if value and text == english.get(value) and not cldr.own_name(kind, value)
        ]  # fmt: skip
        assert stand_ins == [], (lang, name)
        in_script = sum(1 for text in options.values() if script.search(text))
        assert in_script > 0.9 * (len(options) - 1), (lang, name, in_script, len(options))
    languages = shown_options(page, "q.mother_tongue")
    assert languages[lang] == FIRST[lang] and languages["kmr"] == KURMANJI[lang]
    values = [value for value in languages if value]
    assert values[:8] == ["uk", "ar", "ti", "fa-AF", "fa", "ps", "so", "kmr"]
    assert page.locator("html").get_attribute("lang") == lang
