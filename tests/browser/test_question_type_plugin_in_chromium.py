"""A plugin's question type answered in Chromium (issue 20): the tests' rating, its five points
each with a picture, in Arabic and side by side, passes axe and is kept."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import respondent_log_in
from tests.browser.test_accessibility import Auditor, next_page
from tests.helpers import make_code
from tests.rating_helpers import QUESTION, rating_app, rating_tree

pytestmark = pytest.mark.browser

POINTS = f"main fieldset.rating input[name='q.{QUESTION}']"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def app(database_url, tmp_path):
    return rating_app(database_url, rating_tree(tmp_path))


@pytest.mark.parametrize(("lang", "beside"), [("ar", ""), ("ar", "nb")])
def test_the_rating_is_answered_and_kept(app, runner, page, lang, beside):
    audit = Auditor()
    respondent_log_in(page, lang, "202000000601", make_code(runner, "202000000601"))
    page.goto(f"/{lang}/form/wishes?beside={beside}")
    expect(page.locator(POINTS)).to_have_count(5)
    pictures = page.locator("main fieldset.rating img")
    expect(pictures).to_have_count(5 * (2 if beside else 1))
    assert all(pictures.nth(i).evaluate("i => i.complete && i.naturalWidth > 0")
               for i in range(pictures.count()))  # fmt: skip
    audit(page, f"{lang}+{beside or '-'} wishes with a rating")
    assert page.evaluate(SIDEWAYS) <= 0
    page.locator(f"label[for='q-{QUESTION}-4']").first.click()
    assert next_page(page) != "wishes"
    page.goto(f"/{lang}/form/wishes?beside={beside}")
    expect(page.locator(f"{POINTS}[value='4']")).to_be_checked()
    page.goto(f"/{lang}/form/review?beside={beside}")
    audit(page, f"{lang}+{beside or '-'} review with a rating")
    audit.check()
