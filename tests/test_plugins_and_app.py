"""Plugins register through the hooks; the app reports its health; settings come from KOMPASS_*."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from engine.app import config, plugins
from engine.app.hookspecs import hookimpl
from engine.definition.qtypes import BUILTIN_TYPES, QuestionType

CATALOGUES = Path(config.PROJECT_ROOT / "questionnaires" / "interface")


def test_builtin_types_come_through_the_same_hook_as_plugins():
    manager = plugins.make_plugin_manager([])
    assert set(plugins.question_types(manager)) == {t.name for t in BUILTIN_TYPES}


def test_a_plugin_can_add_a_question_type_and_a_duplicate_stops_start_up():
    class Plugin:
        @hookimpl
        def kompass_question_types(self):
            return [QuestionType("email", "text", lambda q, c: {"type": "string"}, lambda q, r: r)]

    manager = plugins.make_plugin_manager([])
    manager.register(Plugin())
    assert "email" in plugins.question_types(manager)

    class Duplicate:
        @hookimpl
        def kompass_question_types(self):
            return [BUILTIN_TYPES[0]]

    manager.register(Duplicate())
    with pytest.raises(plugins.PluginError, match="registered twice"):
        plugins.question_types(manager)


def test_an_unknown_plugin_name_stops_start_up():
    with pytest.raises(plugins.PluginError, match="unknown plugin"):
        plugins.make_plugin_manager(["nope"])


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KOMPASS_CODE_VALIDITY_DAYS", "3")
    monkeypatch.setenv("KOMPASS_SECURE_COOKIES", "true")
    settings = config.load(tmp_path)
    assert settings["CODE_VALIDITY_DAYS"] == 3 and settings["SECURE_COOKIES"] is True
    assert len(settings["SECRET_KEY"]) == 64
    assert config.load(tmp_path)["SECRET_KEY"] == settings["SECRET_KEY"]


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == {"reachable": True, "schema": "current"}
    assert response.json["questionnaires"] == ["kompass/1"]


def test_every_ui_catalogue_is_complete_and_says_who_translated_it():
    template = {m.id for m in read_po((CATALOGUES / "messages.pot").open("rb")) if m.id}
    for po_file in sorted(CATALOGUES.glob("*.po")):
        catalogue = read_po(po_file.open("rb"))
        language = po_file.stem
        assert {m.id for m in catalogue if m.id} == template, language
        first_line = po_file.read_text("utf-8").splitlines()[0]
        marker = re.match(r"# (Machine translation|Primary language)", first_line)
        assert marker, f"{language}: the first line must say who translated the file"
        expected = "Primary language" if language in ("en", "nb") else "Machine translation"
        assert marker.group(1) == expected, language
        if language != "en":
            assert all(m.string for m in catalogue if m.id), language


def test_the_staff_catalogue_is_complete_in_norwegian():
    staff = Path(config.PROJECT_ROOT / "adminui")
    template = {m.id for m in read_po((staff / "messages.pot").open("rb")) if m.id}
    catalogue = read_po((staff / "translations/nb/LC_MESSAGES/messages.po").open("rb"))
    assert {m.id for m in catalogue if m.id} == template
    assert [m.id for m in catalogue if m.id and not m.string] == []
