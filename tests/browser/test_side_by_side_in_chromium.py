"""'Translate form' on a wide screen: each text and its partner in two fixed columns, no overlap."""

import pytest

from tests.browser.conftest import logged_in_by_cookie

pytestmark = pytest.mark.browser
NEXT = "button[value=next]:not(.default-action)"
SECTIONS = ["personal", "education", "language", "digital", "licence", "work", "wishes"]
# ru+ti: both machine-made, so the notice is a pair too.
PAIRS = [("ar", "nb"), ("fa", "nb"), ("ckb", "en"), ("ti", "en"), ("ru", "ti")]
WIDE = {"width": 1280, "height": 900}

# Every text part inside the form: its box, its text's box, and which side of its pair it is.
MEASURE = """() => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const shown = el => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0;
  const parts = [...document.querySelectorAll(".bilingual .t")].filter(shown);
  return parts.map(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const mark = el.querySelector(":scope > .mark");  // a choice's control mark, not its text
    if (mark) range.setStartAfter(mark);
    const pair = el.parentElement.classList.contains("pair") ? el.parentElement : null;
    return {
      text: el.textContent.trim().slice(0, 40),
      side: pair ? (el.classList.contains("beside") ? "second" : "first") : "single",
      pair: pair ? [...document.querySelectorAll(".pair")].indexOf(pair) : -1,
      box: box(el.getBoundingClientRect()),
      ink: box(range.getBoundingClientRect()),
    };
  });
}"""


# For each element under `selector`: does it hold a pair with a text in `lang` and its
# partner in `beside`, each with its own lang and dir?
IN_BOTH = """([selector, lang, beside]) => [...document.querySelectorAll(selector)].map(el => {
  const pair = el.querySelector(".pair");
  const first = pair && pair.querySelector(`:scope > .t:not(.beside)[lang="${lang}"][dir]`);
  const second = pair && pair.querySelector(`:scope > .t.beside[lang="${beside}"][dir]`);
  return Boolean(first && second && first.textContent.trim() && second.textContent.trim());
})"""


def in_both_languages(page, selector: str, lang: str, beside: str) -> None:
    found = page.evaluate(IN_BOTH, [selector, lang, beside])
    assert found, f"nothing at {selector}"
    assert all(found), f"{selector}: {found.count(False)} of {len(found)} in one language only"


def overlapping(a: dict, b: dict) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > 0.5 and height > 0.5


def layout_problems(parts: list[dict]) -> list[str]:
    """Overlaps, text outside its box, pairs not on one line, columns not at one x."""
    problems = []
    for i, a in enumerate(parts):
        problems += [
            f"overlap: {a['text']!r} / {b['text']!r}"
            for b in parts[i + 1 :]
            if overlapping(a["box"], b["box"])
        ]
        ink, box = a["ink"], a["box"]
        if ink["left"] < box["left"] - 1 or ink["right"] > box["right"] + 1:
            problems.append(f"text wider than its column: {a['text']!r}")
    pairs = {}
    for item in parts:
        pairs.setdefault(item["pair"], {})[item["side"]] = item
    for pair in (p for key, p in pairs.items() if key >= 0):
        first, second = pair.get("first"), pair.get("second")
        if first and second and abs(first["box"]["top"] - second["box"]["top"]) > 2:
            problems.append(f"not on one line: {first['text']!r} / {second['text']!r}")
    for side in ("first", "second"):
        for edge in ("left", "right"):
            xs = [item["box"][edge] for item in parts if item["side"] == side]
            if xs and max(xs) - min(xs) > 1:
                problems.append(f"{side} texts' {edge} edges at {sorted(set(map(round, xs)))}")
    return problems


def check_page(page, where: str) -> list[dict]:
    page.wait_for_load_state()
    parts = page.evaluate(MEASURE)
    seconds = [p for p in parts if p["side"] == "second"]
    assert len(seconds) >= 5, f"{where}: only {len(seconds)} texts in the second language"
    firsts = [p for p in parts if p["side"] == "first"]
    assert firsts[0]["box"]["left"] != seconds[0]["box"]["left"], f"{where}: one column"
    problems = layout_problems(parts)
    assert not problems, f"{where}: {problems[:8]} ({len(problems)} in all)"
    return parts


def show_more(page, lang: str, section: str, radio: str) -> None:
    page.goto(f"/{lang}/form/{section}")
    page.locator(f"input[name='q.{radio}'][value=yes]").check()
    page.click(NEXT)


@pytest.mark.parametrize("index", range(len(PAIRS)), ids=["+".join(p) for p in PAIRS])
def test_every_section_side_by_side_in_two_clean_columns(app, browser, live_server, index):
    lang, beside = PAIRS[index]
    context = browser.new_context(viewport=WIDE, base_url=live_server)
    logged_in_by_cookie(context, live_server, app, f"2020000001{index:02d}", lang)
    page = context.new_page()
    try:
        page.goto(f"/{lang}/form/personal?beside={beside}")
        page.click(NEXT)  # nothing chosen: the page shows its errors
        parts = check_page(page, f"{lang}+{beside} personal with errors")
        assert page.locator(".error-message .pair").count() >= 2
        for selector in (".error-summary h2", ".error-summary li", ".progress li"):
            in_both_languages(page, selector, lang, beside)
        assert any(p["side"] == "second" and p["text"] for p in parts)
        option = page.locator("select[name='q.citizenship'] option").nth(1).inner_text()
        assert " / " in option, option
        show_more(page, lang, "licence", "has_licence")
        show_more(page, lang, "work", "has_work_experience")
        for group, section in (("education", "education"), ("other_languages", "language")):
            page.goto(f"/{lang}/form/{section}")
            page.locator(f"button[value='add:{group}']").click()
        page.goto(f"/{lang}/form/work")
        page.locator("button[value='add:jobs']").click()
        page.goto(f"/{lang}/form/review")
        check_page(page, f"{lang}+{beside} review")
        for selector in ("h1", ".summary h2", ".summary p:has(a)", "main form:has(button)"):
            in_both_languages(page, selector, lang, beside)
        links = page.locator(".summary a").count()  # "Change" per answer, each in both
        assert links > len(SECTIONS) and page.locator(".summary a .pair").count() == links
        for section in SECTIONS:
            page.goto(f"/{lang}/form/{section}")
            check_page(page, f"{lang}+{beside} {section}")
            assert page.locator("button .pair").count() >= 2
            if section in ("education", "language", "work"):
                assert page.locator("h2.entry-title .pair").count() >= 1
            if page.locator(".choice").count():
                choices = page.locator(".choice").count()
                assert page.locator(".choice .pair > label.t[for]").count() == 2 * choices
    finally:
        context.close()


def test_on_a_phone_the_two_languages_stack(app, live_server, page):
    logged_in_by_cookie(page.context, live_server, app, "202000000000", "ar")
    page.goto("/ar/form/education?beside=nb")
    page.locator("button[value='add:education']").click()
    page.wait_for_load_state()
    parts = page.evaluate(MEASURE)
    pairs = {}
    for item in parts:
        pairs.setdefault(item["pair"], {})[item["side"]] = item
    stacked = [p for p in pairs.values() if "first" in p and "second" in p]
    assert len(stacked) >= 10
    for pair in stacked:
        assert pair["second"]["box"]["top"] >= pair["first"]["box"]["bottom"] - 1, pair
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
