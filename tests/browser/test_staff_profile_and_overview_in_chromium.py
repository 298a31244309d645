"""In real Chromium: the staff profile as a summary list (half as tall, printable, readable on a
phone) and the overview with every column at 1280 px and a card per person at 360 px."""

import itertools
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from auth.people.models import BOSATT, Person
from bench import mappings
from engine.questionnaire import schema
from engine.responses.storage import Response
from tests.browser.test_accessibility import Auditor
from tests.helpers import add_person
from tests.staff_helpers import add_user, log_in_in_browser
from tests.test_overview import give_code, respond

pytestmark = pytest.mark.browser
# The profile of `demo_mapping` at 1280 px before issue 19: document.documentElement.scrollHeight
# measured in this file's Chromium on main at 8057c87 (the unstyled list: 6,193 px).
HEIGHT_BEFORE = 6193
WIDE, PHONE = {"width": 1280, "height": 800}, {"width": 360, "height": 740}
# Whether the page scrolls sideways, any box reaches past the window, any box's content spills
# out of it, or any box scrolls sideways inside the page (what stays hidden on purpose, such as
# visually hidden text, is not counted).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const boxes = [...document.querySelectorAll('body *')].filter(e => e.clientWidth > 0);
  const name = e => e.tagName + '.' + e.className;
  const over = (e, kinds) => e.scrollWidth > e.clientWidth + 1
    && kinds.includes(getComputedStyle(e).overflowX);
  return {
    page: document.documentElement.scrollWidth - width,
    wide: boxes.filter(e => e.getBoundingClientRect().right > width + 0.5).map(name),
    spill: boxes.filter(e => over(e, ['visible'])).map(name),
    inner: boxes.filter(e => over(e, ['auto', 'scroll'])).map(name),
  };
}"""
NOTHING_OVER = {"page": 0, "wide": [], "spill": [], "inner": []}


def demo_mapping(app, person_id: int, counsellor_id: int) -> None:
    """The load test's typical mapping (two schools, a language, two jobs), written in Arabic,
    submitted; the person filled in every section alone but the last, which a counsellor did."""
    state = app.extensions["kompass"]
    with app.test_request_context("/"), state.sessions() as session:
        answers = mappings.typical(schema.build(state.registry.active(session)))
        opened = mappings.store(session, state.registry, f"person:{person_id}", "ar", answers)
        response = session.get(Response, opened.response.id)
        at = response.updated_at.isoformat()
        sections = [s.id for s in opened.questionnaire.sections(include_staff=True)]
        log = {s: {"mode": "self", "by": None, "at": at} for s in sections[:-2]}
        log[sections[-2]] = {"mode": "interview", "by": f"user:{counsellor_id}", "at": at}
        response.section_log, response.mode = log, "interview"
        response.entered_by = f"user:{counsellor_id}"
        session.commit()


def test_the_profile_is_a_summary_list_half_as_tall_that_prints_and_fits_a_phone(
    app, browser, live_server
):
    counsellor = add_user(app, "veileder", ["bosetting"], "4601")
    person = add_person(app)
    demo_mapping(app, person, counsellor)
    context = browser.new_context(base_url=live_server, viewport=WIDE)
    page = context.new_page()
    log_in_in_browser(page, app, "veileder")
    page.goto(f"/admin/personer/{person}/kartlegging")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= HEIGHT_BEFORE // 2, height
    assert page.evaluate(OVERFLOW) == NOTHING_OVER
    education = page.locator("#section-education")
    expect(education.locator(".section-head .tag")).to_have_text("Ferdig.")
    expect(education.locator(".section-head .entered")).to_contain_text(
        "Fylt inn av personen alene"
    )
    expect(education.locator(".section-head .verified-state")).to_have_text("Ikke verifisert.")
    expect(page.locator(".section-head .entered").filter(has_text="samtale av Veileder Test"))
    row = education.locator(".answer", has_text="Hvor mange år").first
    label, answer = row.locator("dt").bounding_box(), row.locator("dd").bounding_box()
    assert answer["x"] > label["x"] + label["width"] and abs(answer["y"] - label["y"]) < 2
    entries = education.locator("ol.entries > li")
    assert entries.count() == 2
    first, second = entries.nth(0).bounding_box(), entries.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2  # the two schools side by side
    free = page.locator(".free-text").first
    assert free.get_attribute("lang") == "ar" and free.get_attribute("dir") == "rtl"
    expect(page.locator(".written-in").first).to_have_text("Skrevet på arabisk")
    audit = Auditor()
    audit(page, "profile, 1280 px")
    page.emulate_media(media="print")
    for hidden in (".top", ".downloads", ".verify-form", "main > p.no-print"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert not [b for b in page.locator("button").all() if b.is_visible()]
    assert education.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    assert page.evaluate(OVERFLOW) == NOTHING_OVER
    label, answer = row.locator("dt").bounding_box(), row.locator("dd").bounding_box()
    assert answer["y"] >= label["y"] + label["height"] - 1  # stacked on a phone
    audit(page, "profile, 360 px")
    audit.check()
    context.close()


def overview_people(app) -> list[int]:
    """Settled persons with long names in every state, one overdue, one with a code."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        people = [
            Person(duf=f"2020{n:08d}", first_name="Mohammed Abdirahman",
                   last_name=f"Al-Hashimi {n}", municipality="4601", residence=BOSATT,
                   settled_on=date.today() - timedelta(days=30 * n))
            for n in range(1, 6)
        ]  # fmt: skip
        session.add_all(people)
        session.commit()
        ids = [p.id for p in people]
    give_code(app, ids[0])
    give_code(app, ids[1], days=-1)
    respond(app, ids[2], "draft")
    respond(app, ids[3], "submitted")
    return ids


def test_the_overview_shows_every_column_at_1280_and_cards_at_360(app, browser, live_server):
    add_user(app, "veileder", ["bosetting"], "4601")
    ids = overview_people(app)
    context = browser.new_context(base_url=live_server, viewport=WIDE)
    page = context.new_page()
    log_in_in_browser(page, app, "veileder")
    page.goto("/admin/kommuner/kompass/oversikt")
    table = page.locator("table.overview")
    assert table.locator("tbody tr").count() == len(ids)
    assert page.evaluate(OVERFLOW) == NOTHING_OVER
    last = table.locator("thead th").last.bounding_box()
    assert last["x"] + last["width"] <= WIDE["width"]
    overdue = table.locator("tr.overdue").first
    days = overdue.locator("td.number")
    expect(days).to_contain_text("fristen er passert")
    assert days.bounding_box()["x"] + days.bounding_box()["width"] <= WIDE["width"]
    assert table.evaluate("e => getComputedStyle(e).display") == "table"
    audit = Auditor()
    audit(page, "overview, 1280 px")
    page.set_viewport_size(PHONE)
    assert page.evaluate(OVERFLOW) == NOTHING_OVER
    cards = table.locator("tbody tr")
    assert cards.first.evaluate("e => getComputedStyle(e).display") == "block"
    boxes = [cards.nth(n).bounding_box() for n in range(cards.count())]
    assert all(box["width"] <= PHONE["width"] for box in boxes)
    assert all(a["y"] + a["height"] <= b["y"] for a, b in itertools.pairwise(boxes))
    state = cards.first.locator('td[data-label="Kartleggingsstatus"]')
    label = state.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Kartleggingsstatus"'
    audit(page, "overview, 360 px")
    audit.check()
    context.close()
