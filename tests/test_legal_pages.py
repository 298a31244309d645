"""The accessibility statement and the privacy notice: editors' files, every language, footers."""

import re
from pathlib import Path

import pytest

from engine.app.i18n import offered
from engine.definition import legal_pages
from engine.definition.questionnaire_check import check_tree
from engine.questionnaire.languages import Language
from tests.conftest import csrf_token
from tests.staff_helpers import add_user, staff_login

pytestmark = pytest.mark.database_incidental

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"
RIGHT_TO_LEFT = {"ar", "fa", "fa-AF", "ps", "ckb"}


def languages(app) -> list[Language]:
    with app.test_request_context("/"):
        return offered()


def test_every_offered_language_has_both_pages_marked_as_made(app):
    tags = [language.tag for language in languages(app)]
    assert len(tags) == 17
    assert legal_pages.check(ROOT) == []
    for tag in tags:
        for name in legal_pages.PAGES:
            page, errors = legal_pages.read(legal_pages.path_of(ROOT, tag, name))
            assert errors == [] and page.meta.language == tag
            top = legal_pages.path_of(ROOT, tag, name).read_text().splitlines()[0]
            if tag in ("nb", "en"):
                assert not page.meta.machine_translated and "Primary language" in top
            else:
                assert page.meta.machine_translated and "Machine translation" in top


def test_each_page_in_each_language_with_its_lang_and_dir(client, app):
    for language in languages(app):
        for name in legal_pages.PAGES:
            response = client.get(f"/{language.tag}/{name}")
            assert response.status_code == 200, (language.tag, name)
            html = response.text
            direction = "rtl" if language.tag in RIGHT_TO_LEFT else "ltr"
            assert f'<html lang="{language.tag}" dir="{direction}">' in html
            assert f'<article class="legal" lang="{language.tag}" dir="{direction}">' in html
            machine = 'class="machine-notice"' in html
            assert machine == (language.tag not in ("nb", "en")), language.tag
            email = "personvern@example.org"
            assert (f"\u2066{email}\u2069" if direction == "rtl" else email) in html
            assert "{" not in re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)


def test_the_statement_follows_uustatus_and_reads_the_settings(client, app):
    app.config["KOMPASS_CONTACT_ORGANISATION"] = "Bykommunen <IKT>"
    app.config["KOMPASS_RETENTION_MAPPED_YEARS"] = 7
    statement = client.get("/nb/accessibility").text
    expected = ("WCAG 2.1", "EN 301 549", "Kjente mangler", "Kjent siden", "Plan",
                "1. november 2026", "Klage", "uutilsynet.no", "Bykommunen &lt;IKT&gt;")  # fmt: skip
    for text in expected:
        assert text in statement, text
    privacy = client.get("/en/privacy").text
    assert "7 years after you sent your answers" in privacy and "Datatilsynet" in privacy
    assert 'href="https://www.datatilsynet.no/"' in privacy


def test_the_footer_links_the_pages_on_respondent_and_staff_pages(client, app):
    start = client.get("/").text
    assert 'href="/nb/accessibility"' in start and 'href="/nb/privacy"' in start
    login = client.get("/ar/login").text
    assert 'href="/ar/accessibility"' in login and 'href="/ar/privacy"' in login
    assert 'href="/ar/privacy"' in client.get("/ar/nothing-here").text
    add_user(app, "radgiver", ["bosetting"], "0301")
    staff_login(client, "radgiver")
    home = client.get("/admin/").text
    assert 'href="/nb/accessibility"' in home and "Tilgjengelighetserklæring" in home
    assert 'href="/nb/privacy"' in home and "Personvernerklæring" in home
    client.post("/admin/language", data={"csrf_token": csrf_token(home), "locale": "en"})
    english = client.get("/admin/").text
    assert 'href="/en/accessibility"' in english and "Accessibility statement" in english


def test_a_broken_file_is_named_with_its_place_and_the_page_falls_back(tree, app, client):
    broken = legal_pages.path_of(tree, "so", "privacy")
    broken.write_text(broken.read_text().replace("{email}", "{emial}", 1))
    (tree / "legal" / "so" / "privacy-old.yaml").write_text("title: x\n")
    errors = legal_pages.check(tree)
    assert sorted(e.code for e in errors) == ["legal-placeholder", "legal-unknown-file"]
    placeholder = next(str(e) for e in errors if e.code == "legal-placeholder")
    assert str(broken) in placeholder
    assert re.search(r"privacy\.yaml:\d+ at sections\[\d+\]", placeholder)
    assert "did you mean 'email'" in placeholder
    lines = []
    assert not check_tree(tree, lines.append)
    assert any("legal-placeholder" in line for line in lines)
    app.config["KOMPASS_QUESTIONNAIRES_DIR"] = str(tree)
    page = client.get("/so/privacy")
    assert page.status_code == 200 and '<article class="legal" lang="en" dir="ltr">' in page.text
    assert '<html lang="so" dir="ltr">' in page.text


def test_a_file_with_a_wrong_shape_names_the_key(tree):
    file = legal_pages.path_of(tree, "nb", "accessibility")
    file.write_text(file.read_text().replace("since: 2026-11-01", "sinse: 2026-11-01", 1))
    page, errors = legal_pages.read(file)
    assert page is None
    messages = [str(e) for e in errors]
    assert any("deviations[0].sinse" in m and "unknown key" in m for m in messages), messages
