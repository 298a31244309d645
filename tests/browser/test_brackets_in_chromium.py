"""Brackets around an isolated Latin run in right-to-left text, measured in Chromium."""

import pytest

from tests.browser.conftest import respondent_log_in
from tests.helpers import make_code

pytestmark = pytest.mark.browser
NEXT = "button[value=next]:not(.default-action)"

# Screen boxes of the opening bracket, `run` and the closing bracket in the first text node
# under `selector` that holds "(" + ... + run + ... + ")".
BRACKETS = """([selector, run]) => {
  const box = (node, start, length) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + length);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent, at = text.indexOf(run);
      const open = text.lastIndexOf("(", at), close = text.indexOf(")", at);
      if (at < 0 || open < 0 || close < 0) continue;
      return {open: box(node, open, 1), run: box(node, at, run.length), close: box(node, close, 1),
              dir: getComputedStyle(node.parentElement).direction};
    }
  }
  return null;
}"""


def brackets(page, selector: str, run: str) -> dict:
    found = page.evaluate(BRACKETS, [selector, run])
    assert found, f"({run}) not found in {selector}"
    return found


def encloses(found: dict) -> bool:
    """The brackets sit on either side of the run, as its direction wants: in right-to-left
    text the opening bracket is at the right end, the closing one at the left. A bracket may
    be on an earlier or later line when a phone wraps the text between it and the run."""
    opening, run, closing = found["open"], found["run"], found["close"]

    def placed(bracket: dict, before: bool, ok_on_line: bool) -> bool:
        if abs(bracket["top"] - run["top"]) < 2:
            return ok_on_line
        return bracket["top"] < run["top"] if before else bracket["top"] > run["top"]

    if found["dir"] == "rtl":
        return placed(opening, True, opening["left"] >= run["right"] - 0.5) and placed(
            closing, False, closing["right"] <= run["left"] + 0.5
        )
    return placed(opening, True, opening["right"] <= run["left"] + 0.5) and placed(
        closing, False, closing["left"] >= run["right"] - 0.5
    )


def right_of(page, selector: str, right: str, left: str) -> bool:
    """In the text under `selector`, `right` is shown to the right of `left` (one line)."""
    return page.evaluate(
        """([selector, right, left]) => {
          const el = [...document.querySelectorAll(selector)]
            .find(e => e.textContent.includes(right) && e.textContent.includes(left));
          const node = [...el.childNodes].find(n => n.textContent.includes(right));
          const box = word => {
            const range = document.createRange(), at = node.textContent.indexOf(word);
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            return range.getBoundingClientRect();
          };
          return box(right).left >= box(left).right - 0.5;
        }""",
        [selector, right, left],
    )


@pytest.mark.parametrize("beside", ["", "nb"])
def test_brackets_enclose_the_latin_run_in_arabic_options_and_answers(page, runner, beside):
    # Wide enough for each option on one line beside its picture; side by side, two columns.
    page.set_viewport_size({"width": 1280 if beside else 600, "height": 900})
    respondent_log_in(page, "ar", "2020 0000 0000", make_code(runner))
    page.goto(f"/ar/form/licence?beside={beside}")
    page.locator("input[name='q.has_licence'][value=yes]").check()
    for run in ("125 cc", "35 kW", "7500"):
        found = brackets(page, "label.t[lang=ar], label .t[lang=ar]", run)
        assert found["dir"] == "rtl" and encloses(found), (run, found)
    if beside:
        found = brackets(page, "label.t[lang=nb], label .t[lang=nb]", "125 cm³")
        assert found["dir"] == "ltr" and encloses(found), found
    page.locator("input[name='q.licence_categories'][value=A1]").check()
    page.locator("input[name='q.licence_categories'][value=A2]").check()
    page.click(NEXT)
    # The answer is one long text: on a wide page no run is split over two lines, which at 600
    # px depends on the glyphs' widths (whole pixels in the headless shell, fractions in full
    # Chromium) and would leave a run with no single place to measure the brackets against.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/ar/form/review")
    for run in ("125 cc", "35 kW"):
        found = brackets(page, "dd", run)
        assert found["dir"] == "rtl" and encloses(found), (run, found)
    assert right_of(page, "dd bdi", "A1", "A2"), "the first option chosen is read first"
    assert right_of(page, "dd bdi", "A1", "125")
