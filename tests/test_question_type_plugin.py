"""A question type is a whole plugin (issue 20): the tests' rating plugin brings its own YAML
key, its choices, its coercion, its widget, its export column and its codebook entry."""

import re

import pytest
from sqlalchemy import select

from engine.app.factory import create_app
from engine.app.plugins import PluginError, enabled
from engine.definition.questionnaire_check import check_tree
from engine.responses.storage import Response
from engine.versions.published import PublishedVersion
from tests.conftest import TEST_SETTINGS
from tests.helpers import add_person, log_in, make_code, post_section
from tests.rating_helpers import QUESTION, plugins_with_rating, rating_app, rating_tree
from tests.staff_helpers import add_user, staff_login
from tests.test_export import run_export

pytestmark = pytest.mark.database_incidental

WRONG_POINTS = f"""      - id: {QUESTION}
        type: rating
        pionts: 5
"""
TOO_MANY = f"""      - id: {QUESTION}
        type: rating
        points: 50
"""


@pytest.fixture
def rated(tmp_path, database_url):
    return rating_app(database_url, rating_tree(tmp_path))


def _check(root, plugins: str) -> list[str]:
    lines: list[str] = []
    check_tree(root, lines.append, None, enabled(plugins))
    return lines


def test_the_page_draws_the_plugins_widget_with_a_picture_on_each_point(rated):
    client = rated.test_client()
    log_in(client, make_code(rated.test_cli_runner()))
    page = client.get("/en/form/wishes").text
    field = re.search(rf'<div class="field" id="q-{QUESTION}".*?</fieldset>', page, re.S).group(0)
    assert '<fieldset class="rating"' in field
    assert re.findall(rf'name="q.{QUESTION}" value="(\d)"', field) == ["1", "2", "3", "4", "5"]
    assert len(re.findall(r"<img ", field)) == 5


def test_a_point_is_saved_as_a_number_and_anything_else_is_refused_with_a_message(rated):
    client = rated.test_client()
    log_in(client, make_code(rated.test_cli_runner()))
    refused = post_section(client, "en", "wishes", {f"q.{QUESTION}": "9"})
    assert refused.status_code == 422 and "The number must be 5 or less." in refused.text
    saved = post_section(client, "en", "wishes", {f"q.{QUESTION}": "4"})
    assert saved.status_code == 302
    page = client.get("/en/form/wishes").text
    assert re.search(rf'name="q.{QUESTION}" value="4" checked', page)
    with rated.app_context(), rated.extensions["kompass"].sessions() as session:
        [answers] = session.scalars(select(Response.answers))
    assert answers[QUESTION] == 4


def test_the_export_has_the_types_number_column_and_the_codebook_its_scale(rated, tmp_path):
    client = rated.test_client()
    log_in(client, make_code(rated.test_cli_runner()))
    post_section(client, "en", "wishes", {f"q.{QUESTION}": "2"})
    tables = run_export(rated, tmp_path, "--format", "csv", "--state", "draft")
    assert [row[QUESTION] for row in tables["responses"]] == ["2"]
    [row] = [r for r in tables["codebook"] if r["column"] == QUESTION]
    assert row["type"] == "integer" and row["question_type"] == "rating"
    values = [r["value"] for r in tables["codebook_values"] if r["column"] == QUESTION]
    assert values == ["1", "2", "3", "4", "5"]
    [field] = [f for r in tables["datapackage"]["resources"] for f in r["schema"]["fields"]
               if f["name"] == QUESTION]  # fmt: skip
    assert field["type"] == "integer" and field["constraints"]["enum"] == [1, 2, 3, 4, 5]
    with rated.app_context(), rated.extensions["kompass"].sessions() as session:
        codebook = session.scalars(select(PublishedVersion.codebook)).one()
    [variable] = [v for v in codebook["variables"] if v["name"] == QUESTION]
    assert variable["details"] == {"scale": {"from": 1, "to": 5}}


def test_the_profile_shows_the_rating(rated):
    person = add_person(rated)
    client = rated.test_client()
    log_in(client, make_code(rated.test_cli_runner()))
    post_section(client, "en", "wishes", {f"q.{QUESTION}": "3"})
    add_user(rated, "veileder", ["bosetting"], "4601")
    staff = rated.test_client()
    staff_login(staff, "veileder")
    page = staff.get(f"/admin/personer/{person}/kartlegging").text
    assert "How much do you want to work? (nb)" in page
    line = re.search(r"How much do you want to work\? \(nb\).*?</dd>", page, re.S).group(0)
    assert re.search(r">3<", line)


def test_a_misspelt_own_key_is_an_editor_error_with_the_right_spelling(tmp_path):
    lines = _check(rating_tree(tmp_path, WRONG_POINTS), plugins_with_rating())
    [error] = [line for line in lines if "[schema-extra_forbidden]" in line]
    assert "'pionts'" in error and "points" in error and "questionnaire.yaml:" in error


def test_an_own_key_out_of_its_range_is_an_editor_error(tmp_path):
    lines = _check(rating_tree(tmp_path, TOO_MANY), plugins_with_rating())
    assert any("[schema-less_than_equal]" in line and ".points:" in line for line in lines)
    assert not any("image-unknown-target" in line for line in lines), lines


def test_a_key_no_type_has_is_still_refused_for_a_built_in_type(tmp_path):
    text = "      - id: extra_text\n        type: text\n        points: 5\n"
    lines = _check(rating_tree(tmp_path, text), plugins_with_rating())
    assert any("[schema-extra_forbidden]" in line and "'points'" in line for line in lines)


def test_a_type_whose_widget_has_no_template_stops_start_up(database_url, monkeypatch):
    from tests.plugins.rating import plugin

    monkeypatch.setattr(plugin, "kompass_widget_templates", lambda: {})
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url, "PLUGINS": plugins_with_rating()}
    with pytest.raises(PluginError, match="question type 'rating' has the widget 'rating'"):
        create_app(settings)
