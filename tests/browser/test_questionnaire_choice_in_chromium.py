"""The staff pages with two questionnaires served (issue 20) pass axe: the questionnaire choice,
the person page's list of mappings, the second questionnaire's profile, statistics message,
export form and content list."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import Auditor, staff_log_in
from tests.helpers import add_person
from tests.second_questionnaire import SECOND, two_questionnaires_app
from tests.staff_helpers import add_user
from tests.test_staff_pages_per_questionnaire import fill

pytestmark = pytest.mark.browser

PAGES = {
    "veileder": (["bosetting"], "4601", [
        "/admin/kommuner/kompass/oversikt",
        f"/admin/kommuner/kompass/oversikt?questionnaire={SECOND}",
        "/admin/personer/{person}",
        f"/admin/personer/{{person}}/kartlegging?questionnaire={SECOND}",
    ]),
    "analytiker": (["analytiker"], None, [
        "/admin/statistikk", f"/admin/statistikk?questionnaire={SECOND}",
        "/admin/eksport", f"/admin/eksport?questionnaire={SECOND}",
    ]),
    "redaktor": (["innholdsredaktor"], None, [
        "/admin/innhold", f"/admin/innhold?questionnaire={SECOND}",
    ]),
}  # fmt: skip


@pytest.fixture
def app(two_questionnaires, tmp_path):
    application = two_questionnaires_app(two_questionnaires, tmp_path)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def test_the_questionnaire_choice_pages_pass(app, browser, live_server):
    person = add_person(app)
    fill(app, person)
    audit = Auditor()
    for username, (roles, municipality, paths) in PAGES.items():
        add_user(app, username, roles, municipality)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server)
        page = context.new_page()
        staff_log_in(page, app, username)
        for path in paths:
            page.goto(path.format(person=person))
            audit(page, path)
        context.close()
    audit.check()


def test_choosing_a_questionnaire_keeps_it_in_the_url(app, browser, live_server):
    fill(app, add_person(app))
    add_user(app, "veileder", ["bosetting"], "4601")
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    staff_log_in(page, app, "veileder")
    page.goto("/admin/kommuner/kompass/oversikt")
    page.select_option("select[name=questionnaire]", SECOND)
    page.select_option("select[name=state]", "submitted")
    with page.expect_navigation():
        page.locator("main form.filters button[type=submit]").click()
    assert f"questionnaire={SECOND}" in page.url and "state=submitted" in page.url
    expect(page.locator("table.overview tbody tr")).to_have_count(1)
    expect(page.locator("select[name=questionnaire]")).to_have_value(SECOND)
    context.close()
