"""Follow-ups, focus after add and remove, and messages that name the entry, in real Chromium.

In Arabic, Tigrinya and Norwegian, with JavaScript (a follow-up appears at once) and without
(the page shows itself again with the new questions, the first one focused).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in_by_cookie

pytestmark = pytest.mark.browser
NEXT = "button[value=next]:not(.default-action)"
LANGUAGES = ["ar", "ti", "nb"]
FOLLOW_UPS = ["licence_categories", "licence_country", "licence_document", "driving_years"]

# Every follow-up on the page comes after its trigger in the document (and so on screen).
FOLLOW_UPS_AFTER_TRIGGERS = """() => [...document.querySelectorAll('[data-reveal-name]')]
  .filter(q => {
    const trigger = document.getElementsByName(q.dataset.revealName)[0];
    return !trigger || !(trigger.compareDocumentPosition(q) & Node.DOCUMENT_POSITION_FOLLOWING);
  }).map(q => q.id)"""


def click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def person(app, browser, live_server, lang: str, index: int, javascript: bool = True):
    """A fresh respondent, logged in, in their own phone-sized browser context."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        base_url=live_server,
        java_script_enabled=javascript,
    )
    logged_in_by_cookie(context, live_server, app, f"2020000003{index:02d}", lang)
    return context.new_page()


def follow_up(page, qid: str):
    return page.locator(f"#q-{qid}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_follow_ups_appear_at_once_with_javascript(app, browser, live_server, lang):
    page = person(app, browser, live_server, lang, LANGUAGES.index(lang))
    page.goto(f"/{lang}/form/licence")
    for qid in FOLLOW_UPS:
        expect(follow_up(page, qid)).to_be_hidden()
    assert page.evaluate(FOLLOW_UPS_AFTER_TRIGGERS) == []
    page.locator("input[name='q.has_licence'][value=yes]").check()
    for qid in FOLLOW_UPS:
        expect(follow_up(page, qid)).to_be_visible()
    trigger = page.locator("#q-has_licence").bounding_box()
    first = follow_up(page, FOLLOW_UPS[0]).bounding_box()
    assert first["y"] >= trigger["y"] + trigger["height"]
    page.locator("input[name='q.has_licence'][value=no]").check()
    expect(follow_up(page, FOLLOW_UPS[0])).to_be_hidden()
    page.locator("input[name='q.has_licence'][value=yes]").check()
    page.locator("input[name='q.licence_categories'][value=B]").check()
    click(page, NEXT)
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/work$"))  # seen already: not again
    page.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_follow_ups_come_after_saving_without_javascript(app, browser, live_server, lang):
    page = person(app, browser, live_server, lang, 10 + LANGUAGES.index(lang), False)
    page.goto(f"/{lang}/form/licence")
    for qid in FOLLOW_UPS:
        expect(follow_up(page, qid)).to_be_hidden()
    page.locator("input[name='q.has_licence'][value=yes]").check()
    expect(follow_up(page, FOLLOW_UPS[0])).to_be_hidden()  # nothing runs on the page
    click(page, NEXT)
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/licence$"))
    expect(page.locator(".notice")).to_be_visible()
    for qid in FOLLOW_UPS:
        expect(follow_up(page, qid)).to_be_visible()
    assert page.evaluate("document.activeElement.name") == "q.licence_categories"
    click(page, NEXT)
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/work$"))
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_focus_follows_add_and_remove(app, browser, live_server, lang, javascript):
    index = 20 + 2 * LANGUAGES.index(lang) + javascript
    page = person(app, browser, live_server, lang, index, javascript)
    page.goto(f"/{lang}/form/education")
    add = page.locator("button[value='add:education']")
    add_text = add.inner_text()
    click(page, "button[value='add:education']")
    assert page.evaluate("document.activeElement.id") == "q-education-0-title"
    click(page, "button[value='add:education']")
    assert page.url.endswith("#q-education-1-title")
    assert page.evaluate("document.activeElement.id") == "q-education-1-title"
    assert add.inner_text() == add_text
    first_heading = page.locator("#q-education-0-title").inner_text()
    click(page, "#q-education-0 button[value^='remove:']")
    assert page.evaluate("document.activeElement.id") == "q-education-title"
    status = page.locator("[role=status]")
    expect(status).to_contain_text(first_heading)
    assert page.locator(".entry").count() == 1
    click(page, NEXT)  # the fragment of the redirect is not carried on to the next page
    assert page.url.endswith(f"/{lang}/kompass/form/language")
    page.context.close()


def test_the_add_button_names_what_it_adds(app, browser, live_server):
    page = person(app, browser, live_server, "nb", 30)
    page.goto("/nb/form/education")
    expect(page.locator("button[value='add:education']")).to_have_text("Legg til en utdanning")
    page.goto("/nb/form/work")
    expect(page.locator("button[value='add:jobs']")).to_be_hidden()
    page.locator("input[name='q.has_work_experience'][value=yes]").check()
    expect(page.locator("button[value='add:jobs']")).to_have_text("Legg til en jobb")
    page.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_links_name_the_entry_and_errors_say_error(app, browser, live_server, lang):
    page = person(app, browser, live_server, lang, 40 + LANGUAGES.index(lang))
    page.goto(f"/{lang}/form/education")
    click(page, "button[value='add:education']")
    click(page, "button[value='add:education']")
    page.fill("input[name='q.education.1.edu_start_year']", "2012")
    page.locator("input[name='q.education.1.edu_status'][value=completed]").check()
    page.fill("input[name='q.education.1.edu_end_year']", "2010")
    page.fill("input[name='q.school_years']", "99")
    click(page, NEXT)
    second = page.locator("#q-education-1-title").inner_text()
    links = page.locator(".error-summary a")
    expect(links).to_have_count(2)
    expect(links.nth(1)).to_contain_text(f"{second}: ")
    assert links.nth(1).get_attribute("href") == "#q-education-1-edu_end_year-input"
    expect(links.nth(0)).to_contain_text("30")  # "Write a number from 0 to 30"
    error_word = page.title().split(" ")[0]  # the title starts with "Error:" in the language
    prefixes = page.locator(".error-message .visually-hidden")
    expect(prefixes).to_have_count(2)
    for prefix in prefixes.all():
        assert prefix.inner_text().strip() == error_word
    page.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_review_links_each_missing_question(app, browser, live_server, lang):
    page = person(app, browser, live_server, lang, 50 + LANGUAGES.index(lang))
    page.goto(f"/{lang}/form/review")
    click(page, "form[action$='/submit'] button")
    links = page.locator(".error-summary a")
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert hrefs == [
        f"/{lang}/kompass/form/personal#q-citizenship-input",
        f"/{lang}/kompass/form/personal#q-mother_tongue-input",
    ]
    label = links.nth(0).inner_text()
    click(page, ".error-summary a >> nth=0")
    expect(page.locator("label[for='q-citizenship-input']")).to_be_visible()
    assert page.locator("label[for='q-citizenship-input']").inner_text() in label
    page.context.close()
