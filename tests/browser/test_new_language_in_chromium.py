"""A new language is files only: Ukrainian added to a copy of the questionnaires folder is
checked, published and served in Chromium, with English for every string it lacks."""

import re
import shutil

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from playwright.sync_api import expect

from engine.definition.questionnaire_check import check_tree
from tests.helpers import make_code
from tests.translation_helpers import copy_tree, published_app

pytestmark = pytest.mark.browser

UKRAINIAN = """\
# Machine translation (not made by a human translator).
meta:
  language: uk
  machine_translated: true

title: "Опис компетенцій"
sections:
  personal:
    title: "Особисті дані"
questions:
  citizenship:
    label: "Громадянином якої країни ви є зараз?"
"""
INTERFACE = {"Log in": "Увійти", "Log in to the form": "Увійти до анкети", "Next": "Далі"}


def add_ukrainian(root) -> None:
    """Ukrainian as a language added now: the shipped Ukrainian files are taken out first."""
    shipped = ["kompass/1/translations/uk.state.yaml", "codelists/translations/uk.yaml",
               "codelists/translations/uk.state.yaml"]  # fmt: skip
    for path in shipped:
        (root / path).unlink()
    shutil.rmtree(root / "kompass/1/audio/uk")  # the demo's Ukrainian machine speech
    (root / "kompass/1/translations/uk.yaml").write_text(UKRAINIAN, "utf-8")
    catalog = Catalog(locale="uk", header_comment="# Machine translation (not made by a human).")
    for english, ukrainian in INTERFACE.items():
        catalog.add(english, ukrainian)
    with (root / "interface/uk.po").open("wb") as stream:
        write_po(stream, catalog)


@pytest.fixture
def app(database_url, tmp_path):
    """The app serving a copy of the questionnaires folder with Ukrainian added as files."""
    root = copy_tree(tmp_path)
    add_ukrainian(root)
    lines: list[str] = []
    assert check_tree(root, lines.append) is True, "\n".join(lines)
    uk = next(i for i, line in enumerate(lines) if line.split()[:1] == ["uk"])
    questionnaire, _codelists, interface = (lines[uk + n].split()[-4:] for n in range(3))
    assert int(questionnaire[0]) > 100 and questionnaire[1] == "3"  # missing, machine
    assert interface[:2] == [str(len(_template(root)) - 3), "3"]
    application = published_app(database_url, root)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def _template(root) -> list[str]:
    from engine.translation.catalogues import template_ids

    return template_ids(root / "interface")


def test_ukrainian_is_offered_and_falls_back_to_english(page, app):
    page.goto("/")
    link = page.get_by_role("link", name="Українська", exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/uk/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Увійти")
    expect(page.locator("form button[type=submit]")).to_have_text("Увійти до анкети")
    expect(page.locator("label[for=code]")).to_have_text("Your code")  # missing: English

    page.fill("#duf", "2020 0000 0000")
    page.fill("#code", make_code(app.test_cli_runner()).lower())
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/uk/kompass/form/personal$"))
    expect(page.locator("h1")).to_contain_text("Особисті дані")
    expect(page.get_by_text("Громадянином якої країни ви є зараз?")).to_be_visible()
    fallback = page.get_by_text("What is your mother tongue?")
    expect(fallback).to_be_visible()
    expect(page.locator("[lang=en]", has_text="What is your mother tongue?").first).to_be_visible()
    expect(page.locator("button[value=next]:not(.default-action)")).to_have_text("Далі")
