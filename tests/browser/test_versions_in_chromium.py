"""A new version is published while a respondent is mid-way through the old one: both finish."""

import copy
import re

import pytest
import yaml
from playwright.sync_api import expect

from engine.app.cli import main
from engine.app.factory import create_app
from engine.responses.storage import Response
from tests import sample_tree
from tests.conftest import TEST_SETTINGS
from tests.helpers import make_code

pytestmark = pytest.mark.browser
FIRST, SECOND = "202000000000", "202100000017"


@pytest.fixture
def tree(tmp_path):
    return sample_tree.write(tmp_path / "questionnaires")


@pytest.fixture
def app(database_url, tree):
    """The app serving the small sample questionnaire, version 1 published."""
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url}
    settings.update(QUESTIONNAIRES_DIR=str(tree), ACTIVE_QUESTIONNAIRE="sample")
    application = create_app(settings)
    kompass(application, "questionnaire", "publish", "sample", "1")
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def kompass(app, *args) -> None:
    result = app.test_cli_runner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def publish_version_2(app, tree) -> None:
    """An editor adds a question in a new version and publishes it."""
    kompass(app, "questionnaire", "new-version", "sample")
    questionnaire = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    questionnaire["version"] = 2
    questionnaire["sections"][0]["questions"].append({"id": "hobby", "type": "text"})
    english = copy.deepcopy(sample_tree.ENGLISH)
    english["questions"]["hobby"] = {"label": "Your hobby"}
    for name, data in (("questionnaire.yaml", questionnaire), ("translations/en.yaml", english)):
        (tree / "sample" / "2" / name).write_text(yaml.safe_dump(data), "utf-8")
    kompass(app, "questionnaire", "publish", "sample", "2")


def log_in(page, duf: str, code: str) -> None:
    page.goto("/en/login")
    page.fill("#duf", duf)
    page.fill("#code", code)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/sample/form/about$"))


def submit(page) -> None:
    page.locator("button[value=next]:not(.default-action)").click()
    expect(page).to_have_url(re.compile(r"/en/sample/form/review$"))
    page.locator("form[action$='/submit'] button").click()
    expect(page).to_have_url(re.compile(r"/en/sample/form/receipt$"))


def test_version_2_is_published_while_a_respondent_is_in_version_1(
    page, browser, live_server, app, runner, tree
):
    log_in(page, FIRST, make_code(runner, FIRST))
    page.select_option("select[name='q.country']", "SY")
    page.locator("input[name='q.has_job'][value=yes]").check()
    page.locator("button[value=next]:not(.default-action)").click()
    expect(page).to_have_url(re.compile(r"/en/sample/form/review$"))

    publish_version_2(app, tree)

    newcomer = browser.new_context(base_url=live_server).new_page()
    log_in(newcomer, SECOND, make_code(runner, SECOND))
    newcomer.select_option("select[name='q.country']", "ER")
    newcomer.get_by_label("Your hobby").fill("Football")
    submit(newcomer)

    page.goto("/en/form/about")
    expect(page.locator("select[name='q.country']")).to_have_value("SY")
    expect(page.get_by_label("Your hobby")).to_have_count(0)
    page.fill("input[name='q.job']", "Nurse")
    submit(page)

    with app.app_context(), app.extensions["kompass"].sessions() as session:
        stored = {r.subject: r for r in session.query(Response)}
        finished = sorted((r.questionnaire_version, r.state, r.answers) for r in stored.values())
    assert finished == [
        (1, "submitted", {"country": "SY", "has_job": "yes", "job": "Nurse"}),
        (2, "submitted", {"country": "ER", "hobby": "Football"}),
    ]
