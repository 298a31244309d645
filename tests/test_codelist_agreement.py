"""`check` and `publish` agree on the shared code lists (issue 20 point 7): for each edit, both
pass or both refuse, and each names the code-list file with its line and says what to do."""

import re

import pytest
import yaml

from adminui import content
from engine.app.cli import main
from engine.app.factory import create_app
from engine.versions import published, publishing
from tests.conftest import TEST_SETTINGS

pytestmark = pytest.mark.database_incidental


@pytest.fixture
def app(database_url, tree, monkeypatch):
    """The app on a copy of the questionnaires, version 1 published through `kompass`."""
    monkeypatch.setenv("KOMPASS_QUESTIONNAIRES_DIR", str(tree))
    monkeypatch.setenv("KOMPASS_DATABASE_URL", database_url)
    application = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url})
    assert kompass(application, "questionnaire", "publish", "kompass", "1").exit_code == 0
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def kompass(app, *args):
    return app.test_cli_runner().invoke(main, list(args))


def outcome(app, version: int) -> tuple[bool, str, bool, str]:
    """Whether check and publish pass, with what each printed."""
    check = kompass(app, "questionnaire", "check")
    publish = kompass(app, "questionnaire", "publish", "kompass", str(version))
    return check.exit_code == 0, check.output, publish.exit_code == 0, publish.output


def fingerprint(app, version: int) -> str | None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        row = published.find(session, "kompass", version)
        return row and row.fingerprint


def edit(file, change) -> None:
    data = yaml.safe_load(file.read_text("utf-8"))
    change(data)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def line_of(file, text: str) -> int:
    return next(n for n, line in enumerate(file.read_text("utf-8").splitlines(), 1) if text in line)


def test_an_edited_code_list_of_a_published_version_passes_both_and_both_name_it(app, tree):
    before = fingerprint(app, 1)
    values = tree / "codelists" / "isced_level.yaml"
    labels = tree / "codelists" / "translations" / "en.yaml"
    edit(values, lambda data: data["values"].append("9"))
    edit(labels, lambda data: data["isced_level"].update({"9": "Beyond a doctorate"}))
    check_ok, check_out, publish_ok, publish_out = outcome(app, 1)
    assert (check_ok, publish_ok) == (True, True), check_out + publish_out
    assert "Already published, unchanged: kompass version 1" in publish_out
    nine = line_of(values, "- '9'")
    named = [
        f"{values}:{nine} at values[9]: kompass version 1 was published "
        "with another copy of this file (value '9' added); it keeps that copy "
        "[published-codelist-differs]",
        f"{labels}:{line_of(labels, 'Beyond a doctorate')} at isced_level.9:",
        "how to fix: nothing breaks: versions published from now on get the change",
    ]
    for text in named:
        assert text in check_out and text in publish_out, text
    assert fingerprint(app, 1) == before


def test_the_published_version_keeps_its_copy_of_the_code_list(app, tree):
    edit(tree / "codelists" / "isced_level.yaml", lambda data: data["values"].append("9"))
    kompass(app, "questionnaire", "publish", "kompass", "1")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        row = published.find(session, "kompass", 1)
        assert "9" not in row.content["content"]["codelists"]["isced_level"]["values"]


def test_a_code_list_label_that_would_not_format_stops_both_naming_file_and_line(app, tree):
    draft = publishing.new_version(tree, "kompass")
    french = tree / "codelists" / "translations" / "fr.yaml"
    edit(french, lambda data: data["isced_level"].update({"0": "Aucune %(x)s"}))
    check_ok, check_out, publish_ok, publish_out = outcome(app, 2)
    assert (check_ok, publish_ok) == (False, False), check_out + publish_out
    named = f"{french}:{line_of(french, 'Aucune')} at isced_level.0:"
    assert named in check_out and named in publish_out
    assert "[translation-format]" in publish_out and "how to fix:" in publish_out
    assert fingerprint(app, 2) is None and draft.is_dir()


def test_the_content_editor_refuses_the_same_draft(app, tree):
    publishing.new_version(tree, "kompass")
    french = tree / "codelists" / "translations" / "fr.yaml"
    edit(french, lambda data: data["isced_level"].update({"0": "Aucune %(x)s"}))
    registry = app.extensions["kompass"].registry
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        loaded = content.load(session, registry, content.find(session, tree, "kompass", "2"))
    assert [(e.code, e.file) for e in loaded.errors] == [("translation-format", french)]


def test_a_broken_code_list_stops_both_naming_file_and_line(app, tree):
    values = tree / "codelists" / "isced_level.yaml"
    values.write_text(values.read_text("utf-8").replace('"8"]', '"8"'), "utf-8")
    check_ok, check_out, publish_ok, publish_out = outcome(app, 1)
    assert (check_ok, publish_ok) == (False, False)
    for output in (check_out, publish_out):
        assert re.search(rf"{re.escape(str(values))}:\d+: the file is not valid YAML", output)


def test_a_changed_file_of_a_published_version_stops_both_naming_it(app, tree):
    norwegian = tree / "kompass" / "1" / "translations" / "nb.yaml"
    edit(norwegian, lambda data: data["questions"]["school_years"].update(label="ENDRET"))
    check_ok, check_out, publish_ok, publish_out = outcome(app, 1)
    assert (check_ok, publish_ok) == (False, False)
    named = f"{norwegian}: kompass version 1 is published and this file was changed since"
    assert named in check_out and named in publish_out
    assert "[published-version-changed]" in publish_out
    assert "kompass questionnaire new-version kompass" in publish_out
