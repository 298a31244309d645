"""'Translate form': two equal columns, each choice made from either, in each reader's direction.

Every language of SCRIPT_LANGUAGES is shown beside a partner of the other direction (Arabic
beside a left-to-right language, Norwegian beside a right-to-left one).
"""

from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import logged_in_by_cookie
from tests.browser.languages import SCRIPT_LANGUAGES

pytestmark = pytest.mark.browser
TRANSLATIONS = Path(__file__).resolve().parents[2] / "questionnaires/kompass/1/translations"
RIGHT_TO_LEFT = {"ar", "ckb", "fa", "fa-AF", "ps"}
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SECTION = "digital"  # check boxes and a scale of radios


def partner(lang: str) -> str:
    return "nb" if lang in RIGHT_TO_LEFT else "ar"


def machine_made(lang: str) -> bool:
    meta = yaml.safe_load((TRANSLATIONS / f"{lang}.yaml").read_text("utf-8"))["meta"]
    return meta.get("machine_translated") is True


# Each choice: its labels (language, direction, control mark and text boxes), its input's box.
CHOICES = """() => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width});
  const textBox = label => {
    const range = document.createRange();
    range.selectNodeContents(label);
    const mark = label.querySelector(":scope > .mark");
    if (mark) range.setStartAfter(mark);
    return box(range.getBoundingClientRect());
  };
  return [...document.querySelectorAll(".choice input")].map(input => ({
    id: input.id,
    input: box(input.getBoundingClientRect()),
    labels: [...document.querySelectorAll(`label[for="${input.id}"]`)].map(label => {
      const mark = label.querySelector(":scope > .mark");
      return {
        lang: label.lang, dir: label.dir, text: textBox(label),
        mark: mark && box(mark.getBoundingClientRect()),
      };
    }),
  }));
}"""

# For each pair of texts: the first and second text's look (colour, weight, size, opacity).
LOOKS = """() => [...document.querySelectorAll(".bilingual .pair")].map(pair => {
  const look = el => {
    const style = getComputedStyle(el);
    return [style.color, style.fontWeight, style.fontSize, style.opacity].join(" ");
  };
  const [first, second] = pair.querySelectorAll(":scope > .t");
  return [pair.textContent.trim().slice(0, 30), look(first), look(second)];
})"""

MARK_SHOWS_CHECKED = """id => [...document.querySelectorAll(`label[for="${id}"] > .mark`)]
  .map(mark => getComputedStyle(mark, "::after").visibility === "visible")"""


def control_problems(choice: dict) -> list[str]:
    """A label without its mark beside its text, on the side its direction starts."""
    problems = []
    for label in choice["labels"]:
        mark, text = label["mark"], label["text"]
        if not mark or mark["width"] < 10:
            problems.append(f"{choice['id']} {label['lang']}: no control mark")
            continue
        gap = (
            mark["left"] - text["right"] if label["dir"] == "rtl" else text["left"] - mark["right"]
        )
        if not 0 <= gap <= 24:
            problems.append(f"{choice['id']} {label['lang']} ({label['dir']}): mark {gap:.0f} px")
    return problems


def new_page(browser, live_server, app, viewport: dict, lang: str, duf: str):
    """A logged-in respondent's page at `SECTION` beside the partner language."""
    context = browser.new_context(viewport=viewport, base_url=live_server)
    logged_in_by_cookie(context, live_server, app, duf, lang)
    page = context.new_page()
    page.goto(f"/{lang}/form/{SECTION}?beside={partner(lang)}")
    return context, page


@pytest.mark.parametrize("lang", SCRIPT_LANGUAGES)
def test_each_choice_is_made_from_either_column(app, browser, live_server, lang):
    index = SCRIPT_LANGUAGES.index(lang)
    context, page = new_page(browser, live_server, app, WIDE, lang, f"2020000003{index:02d}")
    beside = partner(lang)
    try:
        choices = page.evaluate(CHOICES)
        assert len(choices) >= 10
        for choice in choices:
            assert [(x["lang"], x["dir"]) for x in choice["labels"]] == [
                (lang, "rtl" if lang in RIGHT_TO_LEFT else "ltr"),
                (beside, "rtl" if beside in RIGHT_TO_LEFT else "ltr"),
            ], choice["id"]
            first_mark = choice["labels"][0]["mark"]
            assert abs(choice["input"]["left"] - first_mark["left"]) < 4, choice  # over its mark
        problems = [p for choice in choices for p in control_problems(choice)]
        assert not problems, problems[:6]

        box, radio, other_radio = choices[0]["id"], choices[-1]["id"], choices[-2]["id"]
        second = 'label.beside[for="{}"]'
        page.click(second.format(box))
        page.click(second.format(radio))
        assert page.is_checked(f"#{box}") and page.is_checked(f"#{radio}")
        assert page.evaluate(MARK_SHOWS_CHECKED, radio) == [True, True]
        page.click(second.format(other_radio))
        assert page.is_checked(f"#{other_radio}") and not page.is_checked(f"#{radio}")
        assert page.evaluate(MARK_SHOWS_CHECKED, radio) == [False, False]
        with page.expect_navigation():
            page.click("button[value=next]:not(.default-action)")
        page.goto(f"/{lang}/form/{SECTION}")
        assert page.is_checked(f"#{box}") and page.is_checked(f"#{other_radio}")  # saved

        looks = page.evaluate(LOOKS)
        assert len(looks) > 20
        assert [x for x in looks if x[1] != x[2]] == []
        notices = page.eval_on_selector_all(".machine-notice [lang]", "ps => ps.map(p => p.lang)")
        assert notices == [x for x in (lang, beside) if machine_made(x)]
    finally:
        context.close()


# Each text of a pair on a phone (buttons centre theirs): its box, where its content and its
# text start, its direction.
STACKED = """() => [...document.querySelectorAll(".pair")]
  .filter(pair => pair.offsetParent && !pair.closest("button, .button")).map(pair => {
  const place = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const mark = el.querySelector(":scope > .mark");
    if (mark) range.setStartAfter(mark);
    const r = el.getBoundingClientRect(), ink = range.getBoundingClientRect();
    const s = getComputedStyle(el), px = name => parseFloat(s[name]);
    return {
      text: el.textContent.trim().slice(0, 30), dir: s.direction, top: r.top, bottom: r.bottom,
      start: s.direction === "rtl" ? r.right - px("borderRightWidth") - px("paddingRight")
                                   : r.left + px("borderLeftWidth") + px("paddingLeft"),
      inkStart: s.direction === "rtl" ? ink.right : ink.left,
    };
  };
  return [...pair.querySelectorAll(":scope > .t")].map(place);
})"""


@pytest.mark.parametrize("lang", SCRIPT_LANGUAGES)
def test_on_a_phone_each_partner_text_is_under_its_original_in_its_direction(
    app, browser, live_server, lang
):
    index = SCRIPT_LANGUAGES.index(lang)
    context, page = new_page(browser, live_server, app, PHONE, lang, f"2020000004{index:02d}")
    try:
        pairs = page.evaluate(STACKED)
        assert len(pairs) >= 20
        for first, second in pairs:
            assert second["top"] >= first["bottom"] - 1, (first, second)
            assert (first["dir"], second["dir"]) == (
                "rtl" if lang in RIGHT_TO_LEFT else "ltr",
                "rtl" if partner(lang) in RIGHT_TO_LEFT else "ltr",
            )
            for text in (first, second):
                assert abs(text["inkStart"] - text["start"]) <= 2, text
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert page.locator(".choice input").first.is_visible()
        assert page.locator(".mark:visible").count() == 0
    finally:
        context.close()
