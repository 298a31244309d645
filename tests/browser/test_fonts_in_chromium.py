"""Every language without boxes (tofu) on a browser that has no fonts but the shipped ones.

Chromium is started a second time with a font configuration that has no font with letters, so
the only faces it can draw text with are the web fonts of fonts.css. Two checks, each of which
finds boxes the other misses:
- every character of the page, drawn alone on a canvas in the page's font, must look different
  from a code point no font has (a box, or nothing): a script no shipped face covers;
- Chromium's own account of the fonts that drew each element (CSS.getPlatformFontsForNode) must
  name shipped faces only: a system font there is a box (so Chromium drew bold text when
  system-ui came first in the font list).
The ordinary browser, with the system's fonts, must show the same texts on the same pages.
"""

import os

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, respondent_log_in
from tests.browser.languages import SCRIPT_LANGUAGES
from tests.helpers import make_code

pytestmark = pytest.mark.browser

# Chromium loads no web font at all when fontconfig lists no font, so the configuration lists one
# with no letters: Noto Music (musical symbols only), what a device without the scripts falls to.
NO_LETTERS = "/usr/share/fonts/truetype/noto/NotoMusic-Regular.ttf"
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""

# Opens closed <details> (the language list); then the index in `body *` order and text of each
# element with text of its own (options are drawn outside the page), and with `drawing` the
# characters (options' too) no loaded face draws, in both weights.
MEASURE = """async (drawing) => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const elements = [...document.body.querySelectorAll("*")];
  const own = el => [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join("");
  const chars = new Map();
  const add = (text, el) => {
    const weight = Number(getComputedStyle(el).fontWeight) >= 600 ? 700 : 400;
    for (const ch of text) {
      if (!/[\\s\\p{Cf}\\p{Cc}]/u.test(ch)) chars.set(ch + weight, [ch, weight]);
    }
  };
  const withText = [];
  elements.forEach((el, i) => {
    const text = own(el);
    if (text.trim() && !el.closest("script, style")) {
      add(text, el);
      if (el.localName !== "option") withText.push([i, text.trim().slice(0, 60)]);
    }
    for (const pseudo of ["::before", "::after"]) {
      const content = getComputedStyle(el, pseudo).content;
      if (content.startsWith('"')) add(JSON.parse(content), el);
    }
  });
  if (!drawing) return {withText};
  const family = getComputedStyle(document.body).fontFamily;
  const all = [...chars.values()].map(([ch]) => ch).join("");
  await Promise.all([400, 700].map(w => document.fonts.load(`${w} 24px ${family}`, all)));
  await document.fonts.ready;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const context = canvas.getContext("2d", {willReadFrequently: true});
  const drawn = (ch, weight) => {
    context.clearRect(0, 0, 48, 48);
    context.font = `${weight} 24px ${family}`;
    context.fillText(ch, 8, 32);
    return context.getImageData(0, 0, 48, 48).data.join();
  };
  const blank = drawn(" ", 400);
  const box = {400: drawn("\\u{10FFFD}", 400), 700: drawn("\\u{10FFFD}", 700)};
  const undrawn = [...chars.values()]
    .filter(([ch, w]) => [blank, box[w]].includes(drawn(ch, w)))
    .map(([ch, w]) => `${ch} U+${ch.codePointAt(0).toString(16).toUpperCase()} (${w})`);
  return {withText, characters: chars.size, undrawn};
}"""


@pytest.fixture(scope="module")
def bare_browser(browser, tmp_path_factory):
    """Chromium with no system font for any script: only the web fonts a page loads."""
    folder = tmp_path_factory.mktemp("fontconfig")
    (folder / "fonts").mkdir()
    (folder / "fonts" / "music.ttf").symlink_to(NO_LETTERS)
    conf = folder / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=folder / "fonts", cache=folder / "cache"), "utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    bare = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
    yield bare
    bare.close()


def texts_of(page, path: str) -> list[str]:
    """The page's texts alone: what the ordinary browser's pages are compared by."""
    page.goto(path)
    page.wait_for_load_state()
    return [text for _, text in page.evaluate(MEASURE, False)["withText"]]


def look_at(page, path: str) -> dict:
    """The page's texts with the fonts that drew each, and the characters no face draws."""
    page.goto(path)
    page.wait_for_load_state()
    measured = page.evaluate(MEASURE, True)
    assert measured["characters"] > 20 and len(measured["withText"]) > 5, f"{path}: {measured}"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]
    texts = []
    for index, text in measured["withText"]:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": nodes[index]})["fonts"]
        texts.append((text, {(f["familyName"], f["isCustomFont"]) for f in fonts}))
    cdp.detach()
    return {"texts": texts, "undrawn": measured["undrawn"]}


def boxes(seen: dict) -> list:
    """Characters no face draws, and texts drawn (partly) with a system font."""
    system = [(text, fonts) for text, fonts in seen["texts"] if not all(c for _, c in fonts)]
    return seen["undrawn"] + system


def in_every_language(browser, live_server, runner, look=look_at) -> dict:
    """The start page, the staff log-in, and each offered language's log-in and first section,
    each seen by `look`."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    try:
        page.goto("/")
        languages = page.eval_on_selector_all(".languages a[lang]", "a => a.map(l => l.lang)")
        assert set(SCRIPT_LANGUAGES) <= set(languages), languages
        seen = {"/": look(page, "/"), "/admin/login": look(page, "/admin/login")}
        seen |= {f"/{lang}/login": look(page, f"/{lang}/login") for lang in languages}
        respondent_log_in(page, languages[0], "202000000000", make_code(runner))
        page.wait_for_url(f"**/{languages[0]}/kompass/form/**")
        for lang in languages:
            seen[f"/{lang}/form/personal"] = look(page, f"/{lang}/form/personal")
        return seen
    finally:
        context.close()


def test_every_language_is_drawn_with_the_shipped_fonts_alone(
    browser, bare_browser, live_server, runner
):
    """The bare browser is measured in full; the ordinary one, which has the system's fonts to
    fall back on, only gives the texts the bare one must show too (its fonts and boxes were
    never asserted)."""
    normal = in_every_language(browser, live_server, runner, texts_of)
    bare = in_every_language(bare_browser, live_server, runner)
    assert normal.keys() == bare.keys()
    for path, seen in bare.items():
        assert [text for text, _ in seen["texts"]] == normal[path]
        assert sum(bool(fonts) for _, fonts in seen["texts"]) > 5, f"{path}: nothing drawn"
    assert not {path: boxes(seen) for path, seen in bare.items() if boxes(seen)}


# A face taken out of fonts.css, or system-ui put first: the checks find the boxes left.
MISSING = [("ti", "NotoSansEthiopic"), ("ckb", "NotoNaskhArabic"), ("ru", "NotoSans-Cyrillic")]


@pytest.mark.parametrize(("lang", "file_stem"), MISSING, ids=[m[0] for m in MISSING])
def test_a_face_left_out_shows_as_boxes(bare_browser, live_server, lang, file_stem):
    context = bare_browser.new_context(base_url=live_server)
    page = context.new_page()

    def without_face(route):
        faces = route.fetch().text().split("@font-face")
        kept = [face for face in faces if file_stem not in face]
        assert len(kept) < len(faces)
        route.fulfill(body="@font-face".join(kept), content_type="text/css")

    try:
        page.route("**/fonts.css?*", without_face)
        assert len(look_at(page, f"/{lang}/login")["undrawn"]) >= 5
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["ti", "ar"])
def test_system_ui_first_shows_as_boxes(bare_browser, live_server, lang):
    context = bare_browser.new_context(base_url=live_server)
    page = context.new_page()

    def system_ui_first(route):
        css = route.fetch().text()
        assert "html { font-family: -apple-system" in css
        css = css.replace("html { font-family: ", "html { font-family: system-ui, ", 1)
        route.fulfill(body=css, content_type="text/css")

    try:
        page.route("**/kompass.css?*", system_ui_first)
        assert len(boxes(look_at(page, f"/{lang}/login"))) >= 2
    finally:
        context.close()


# The underline of every underlined link (and button that looks like one).
UNDERLINES = """() => [...document.querySelectorAll("a, button.link")]
  .map(a => getComputedStyle(a))
  .filter(s => s.textDecorationLine.includes("underline"))
  .map(s => [s.textUnderlineOffset, s.textDecorationSkipInk, s.textDecorationThickness])"""


@pytest.mark.parametrize("path", ["/ar/login", "/ckb/login", "/admin/login"])
def test_links_are_underlined_below_the_letters_dots(page, path):
    page.goto(path)
    underlines = page.evaluate(UNDERLINES)
    assert underlines
    for offset, skip_ink, thickness in underlines:
        assert offset.endswith("px") and float(offset[:-2]) >= 4, offset
        assert skip_ink == "auto" and thickness.endswith("px"), (skip_ink, thickness)
