"""Listening in Chromium, in Arabic, Tigrinya and Norwegian: the section title's clip is fetched
with the audio type and bytes, plays, and its control is reachable by keyboard and named in the
page's language. Tigrinya has no espeak-ng voice, so its clip is a committed test fixture."""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from engine.app.factory import create_app
from engine.definition import audio
from tests.conftest import TEST_SETTINGS, publish
from tests.helpers import make_code
from tests.translation_helpers import copy_tree

pytestmark = pytest.mark.browser
TITLE = "sections.personal.title"
FIXTURE = Path(__file__).parent.parent / "fixtures" / "audio" / f"ti-{TITLE}.ogg"
NAMES = {"ar": "استمع: البيانات الشخصية", "ti": "ስማዕ: ውልቃዊ ሓበሬታ", "nb": "Lytt: Personopplysninger"}


@pytest.fixture
def app(database_url, tmp_path):
    """Version 1 as shipped, with the Tigrinya test clip of the first section's title."""
    tree = copy_tree(tmp_path)
    target = audio.target(tree / "kompass" / "1", "ti", TITLE, ".ogg")
    target.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURE, target)
    application = create_app(
        {**TEST_SETTINGS, "DATABASE_URL": database_url, "QUESTIONNAIRES_DIR": str(tree)}
    )
    publish(application, "kompass", 1)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


@pytest.mark.parametrize("lang", ["ar", "ti", "nb"])
def test_the_title_clip_plays_and_its_control_is_named_and_reachable(page, runner, lang):
    code = make_code(runner)
    page.goto(f"/{lang}/login")
    page.fill("#duf", "202000000000")
    page.fill("#code", code)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/personal$"))
    control = page.locator("h1 + .listen-row audio")
    expect(control).to_have_accessible_name(NAMES[lang])
    assert control.get_attribute("preload") == "none"

    source = control.locator("source")
    answer = page.request.get(source.evaluate("s => s.src"))
    assert answer.status == 200 and answer.headers["content-type"] == "audio/ogg"
    assert answer.body()[:4] == b"OggS" and b"OpusHead" in answer.body()[:64]

    assert _tabs_to(page, "h1 + .listen-row audio") < 40
    played = control.evaluate(
        """el => el.play().then(() => new Promise(done => setTimeout(done, 400)))
               .then(() => ({time: el.currentTime, error: el.error && el.error.code}))"""
    )
    assert played["error"] is None and played["time"] > 0


def _tabs_to(page, selector: str) -> int:
    """How many Tab presses from the top of the page reach the element."""
    page.locator("body").focus()
    for count in range(1, 60):
        page.keyboard.press("Tab")
        if page.locator(selector).evaluate("el => el === document.activeElement"):
            return count
    return 60
