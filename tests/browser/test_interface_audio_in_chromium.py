"""The spoken interface strings in Chromium, in Arabic and Amharic: on the log-in page and in the
start page's list, the "Listen" control is reached by Tab, named in its language, fetches Ogg
Opus bytes, and axe finds nothing on either page."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import Auditor
from tests.browser.test_audio_in_chromium import _tabs_to

pytestmark = pytest.mark.browser
HEADING = {"ar": "استمع: تسجيل الدخول", "am": "ያዳምጡ፦ ግባ"}
CHOOSE = {"ar": "استمع: اختر هذه اللغة", "am": "ያዳምጡ፦ ይህን ቋንቋ ይምረጡ"}


@pytest.mark.parametrize("lang", ["ar", "am"])
def test_the_log_in_and_start_pages_speak_and_are_reached_by_keyboard(page, lang):
    audit = Auditor()
    page.goto(f"/{lang}/login")
    _check_control(page, "h1 + .listen-row audio", HEADING[lang])
    audit(page, f"/{lang}/login")
    page.goto("/")
    _check_control(page, f"li[lang={lang}] audio", CHOOSE[lang])
    expect(page.locator(f"li[lang={lang}] .machine-speech-mark")).to_be_visible()
    audit(page, "/")
    audit.check()


def _check_control(page, selector: str, name: str) -> None:
    control = page.locator(selector)
    expect(control).to_have_accessible_name(name)
    assert control.get_attribute("preload") == "none"
    assert _tabs_to(page, selector) < 59
    answer = page.request.get(control.locator("source").evaluate("s => s.src"))
    assert answer.status == 200 and answer.headers["content-type"] == "audio/ogg"
    assert answer.body()[:4] == b"OggS" and b"OpusHead" in answer.body()[:64]
