"""Keyboard, error focus and text direction in real Chromium."""

import re
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import respondent_log_in
from tests.helpers import make_code

pytestmark = pytest.mark.browser
NEXT = "button[value=next]:not(.default-action)"

# The x-positions on screen of each of `words`, in the first text node under `selector` that
# holds them all, measured with DOM ranges (so the order is the one a reader sees).
POSITIONS = """([selector, words]) => {
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      if (!words.every(w => text.includes(w))) continue;
      let from = 0;
      return words.map(w => {
        const start = text.indexOf(w, from);
        from = start + w.length;
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + w.length);
        const r = range.getBoundingClientRect();
        return [r.left, r.right];
      });
    }
  }
  return null;
}"""


def reads_left_to_right(page, selector: str, words: list[str]) -> bool:
    positions = page.evaluate(POSITIONS, [selector, words])
    assert positions, f"{words} not found in {selector}"
    return all(a[1] <= b[0] + 1 for a, b in pairwise(positions))


def test_duf_example_and_licence_units_read_in_order_in_arabic(page, runner):
    page.goto("/ar/login")
    page.fill("#duf", "123")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".error-message")).to_be_visible()
    assert page.title().startswith("خطأ:")
    expect(page.locator(".error-summary")).to_be_focused()
    assert reads_left_to_right(page, ".error-message", ["2020", "0000", "0000"])

    respondent_log_in(page, "ar", "2020 0000 0000", make_code(runner))
    page.goto("/ar/form/licence")
    page.locator("input[name='q.has_licence'][value=yes]").check()
    assert reads_left_to_right(page, "label", ["125", "cc"])
    assert reads_left_to_right(page, "label", ["35", "kW"])
    page.locator("input[name='q.licence_categories'][value=A1]").check()
    page.locator("input[name='q.licence_categories'][value=A2]").check()
    page.click(NEXT)
    page.goto("/ar/form/review")
    assert reads_left_to_right(page, "dd", ["125", "cc"])
    assert reads_left_to_right(page, "dd", ["35", "kW"])


def test_error_summary_takes_focus_and_its_links_focus_the_input(page, runner):
    respondent_log_in(page, "en", "2020 0000 0000", make_code(runner))
    page.goto("/en/form/personal")
    page.click(NEXT)
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator(".error-summary a").nth(1).click()
    assert page.evaluate("document.activeElement.id") == "q-mother_tongue-input"


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_questions(page, runner):
    respondent_log_in(page, "en", "2020 0000 0000", make_code(runner))
    page.goto("/en/form/education")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "questions"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q.school_years"


def luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


FOCUS_COLOURS = """el => {
  el.focus();
  const style = getComputedStyle(el);
  let node = el.parentElement, background = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const b = getComputedStyle(node).backgroundColor;
    if (b !== "rgba(0, 0, 0, 0)" && b !== "transparent") { background = b; break; }
  }
  return [style.outlineColor, style.outlineStyle, style.outlineWidth, style.boxShadow, background];
}"""


def test_focus_indicator_stands_out_on_every_background(page, runner):
    respondent_log_in(page, "en", "2020 0000 0000", make_code(runner))
    page.goto("/en/form/education")
    targets = [
        ".brand",
        "#beside",
        "form.translate button",
        "input[name='q.school_years']",
        ".skip-link",
        "details.switch summary",
        "button[value=next]:not(.default-action)",
        "button[value=back]",
        "button[value='add:education']",
        ".progress a",
    ]
    for selector in targets:
        outline, style, width, shadow, background = page.locator(selector).first.evaluate(
            FOCUS_COLOURS
        )
        assert style == "solid" and float(width.rstrip("px")) >= 3, selector
        ring = rgb(shadow)
        dark, light, behind = rgb(outline), ring, rgb(background)
        assert contrast(dark, light) >= 3, selector
        assert max(contrast(dark, behind), contrast(light, behind)) >= 3, (selector, background)
