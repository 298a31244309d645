"""The whole respondent journey in real Chromium: RTL and LTR, language switch, side by side."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import make_code

pytestmark = pytest.mark.browser
NEXT = "button[value=next]:not(.default-action)"


def log_in(page, language_name: str, code: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=language_name, exact=True).click()
    page.fill("#duf", "2020 0000 0000")
    page.fill("#code", code.lower())
    page.locator("form button[type=submit]").click()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_arabic_journey_with_switch_and_side_by_side(page, runner, live_server):
    log_in(page, "العربية", make_code(runner))
    expect(page).to_have_url(re.compile(r"/ar/kompass/form/personal$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert fits_the_screen(page)

    page.select_option("select[name='q.citizenship']", "SY")
    page.select_option("select[name='q.mother_tongue']", "ar")
    page.click(NEXT)
    expect(page).to_have_url(re.compile(r"/ar/kompass/form/education$"))

    page.select_option("#beside", "nb")
    page.locator("form.translate button").click()
    beside = page.locator(".beside[lang=nb][dir=ltr]").first
    expect(beside).to_be_visible()
    expect(page.locator("h1 .t[lang=ar][dir=rtl]")).to_be_visible()
    assert fits_the_screen(page)

    page.locator("button[value='add:education']").click()
    page.fill("input[name='q.education.0.edu_name']", "تمريض")
    page.fill("input[name='q.education.0.edu_start_year']", "2012")
    page.locator("input[name='q.education.0.edu_status'][value=completed]").check()
    page.fill("input[name='q.education.0.edu_end_year']", "2010")
    page.click(NEXT)
    expect(page.locator(".error-summary")).to_be_visible()
    page.fill("input[name='q.education.0.edu_end_year']", "2016")
    page.click(NEXT)
    expect(page).to_have_url(re.compile(r"/ar/kompass/form/language$"))

    page.locator("details.switch summary").click()
    page.locator("details.switch a[lang=nb]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.goto("/nb/form/personal")
    expect(page.locator("select[name='q.citizenship']")).to_have_value("SY")
    page.goto("/nb/form/education")
    expect(page.locator("input[name='q.education.0.edu_name']")).to_have_value("تمريض")

    page.goto("/nb/form/review")
    expect(page.get_by_text("Syria").first).to_be_visible()
    page.locator("form[action$='/submit'] button").click()
    expect(page).to_have_url(re.compile(r"/nb/kompass/form/receipt$"))
    expect(page.locator(".receipt")).to_contain_text("K-")
    assert all(url.startswith(live_server) for url in page.requested)


def test_tigrinya_journey_left_to_right(page, runner, live_server):
    log_in(page, "ትግርኛ", make_code(runner))
    expect(page.locator("html")).to_have_attribute("lang", "ti")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.select_option("select[name='q.citizenship']", "ER")
    page.select_option("select[name='q.mother_tongue']", "ti")
    for expected in ("education", "language", "digital", "licence", "work", "wishes"):
        page.click(NEXT)
        expect(page).to_have_url(re.compile(rf"/ti/kompass/form/{expected}$"))
        assert fits_the_screen(page)
    page.click(NEXT)
    expect(page).to_have_url(re.compile(r"/ti/kompass/form/review$"))
    page.locator("form[action$='/submit'] button").click()
    expect(page).to_have_url(re.compile(r"/ti/kompass/form/receipt$"))
    assert all(url.startswith(live_server) for url in page.requested)


def test_a_wrong_code_is_refused_with_the_same_message(page, runner):
    make_code(runner)
    log_in(page, "English", "AAAAAA")
    expect(page.locator(".error-message")).to_contain_text("We could not log you in")
