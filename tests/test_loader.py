"""The loader turns files into a typed questionnaire, and each editor mistake into a clear error."""

import copy
from pathlib import Path

import pytest

from engine.app import plugins
from engine.definition.error_catalogue import CATALOGUE
from engine.definition.errors import QuestionnaireError
from engine.definition.loader import load_all
from engine.definition.questionnaire_check import check_tree
from tests import sample_tree

TYPES = plugins.question_types(plugins.make_plugin_manager())


def errors_for(tmp_path: Path, **changes) -> list:
    """The errors of the sample tree with `changes`; each failure test also checks the codes."""
    sample_tree.write(tmp_path, **changes)
    with pytest.raises(QuestionnaireError) as caught:
        load_all(tmp_path, TYPES)
    assert {e.code for e in caught.value.errors} <= set(CATALOGUE)
    return caught.value.errors


def broken_questionnaire(change) -> dict:
    data = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    change(data)
    return data


def test_a_valid_tree_loads_into_a_typed_model(tmp_path):
    loaded = load_all(sample_tree.write(tmp_path), TYPES)
    questionnaire = loaded[("sample", 1)]
    assert [s.id for s in questionnaire.sections()] == ["about"]
    assert [s.id for s in questionnaire.sections(include_staff=True)] == ["about", "staff"]
    assert questionnaire.group_of["end"] == "courses"
    assert questionnaire.choices(questionnaire.questions["level"]) == ["1", "2"]
    assert "NO" in questionnaire.choices(questionnaire.questions["country"])


def test_unknown_question_type_names_file_path_line_and_fix(tmp_path):
    def change(data):
        data["sections"][0]["questions"][1]["type"] = "yesno"

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "unknown-type"
    assert error.file.name == "questionnaire.yaml"
    assert error.path == "sections[0].questions[1].type"
    assert error.line is not None
    assert "yes_no" in error.hint
    assert "questionnaire.yaml:" in str(error) and "how to fix" in str(error)


def test_duplicate_id(tmp_path):
    def change(data):
        data["sections"][0]["questions"][2]["id"] = "has_job"

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "duplicate-id"
    assert error.path == "sections[0].questions[2].id"


def test_visible_if_naming_a_missing_question(tmp_path):
    def change(data):
        data["sections"][0]["questions"][2]["visible_if"] = "has_a_job == 'yes'"

    errors = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert [e.code for e in errors] == ["unknown-question-in-expression"]
    assert "has_a_job" in errors[0].message
    assert errors[0].path == "sections[0].questions[2].visible_if"


def test_visible_if_that_is_not_an_expression(tmp_path):
    def change(data):
        data["sections"][0]["questions"][2]["visible_if"] = "__import__('os')"

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "bad-expression"


def test_missing_option_list(tmp_path):
    def change(data):
        data["sections"][0]["questions"][3]["questions"][1]["options"] = "statuses"

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "unknown-option-list"
    assert error.path == "sections[0].questions[3].questions[1].options"


def test_choice_without_options(tmp_path):
    def change(data):
        del data["sections"][0]["questions"][3]["questions"][1]["options"]

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "missing-options"


def test_misspelt_key_is_reported_with_its_path(tmp_path):
    def change(data):
        data["sections"][0]["questions"][0]["requird"] = True

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "schema-extra_forbidden"
    assert error.path == "sections[0].questions[0].requird"
    assert error.suggestion == "required"


def test_translation_key_that_matches_nothing(tmp_path):
    french = copy.deepcopy(sample_tree.ENGLISH)
    french["meta"]["language"] = "fr"
    french["questions"]["contry"] = {"label": "Pays"}
    [error] = errors_for(tmp_path, extra_files={"sample/1/translations/fr.yaml": french})
    assert error.code == "unknown-translation-key"
    assert error.file.name == "fr.yaml"
    assert error.path == "questions.contry.label"
    assert error.line is not None


def test_unquoted_no_as_a_key_gets_advice(tmp_path):
    text = "meta:\n  language: fr\noptions:\n  yes_no:\n    no: Non\n"
    [error] = errors_for(tmp_path, extra_files={"sample/1/translations/fr.yaml": text})
    assert error.code == "unknown-translation-key"
    assert "quotes" in error.hint


def test_source_language_must_have_every_text(tmp_path):
    english = copy.deepcopy(sample_tree.ENGLISH)
    del english["questions"]["job"]
    [error] = errors_for(tmp_path, english=english)
    assert error.code == "missing-source-text"
    assert error.path == "questions.job.label"


def test_yaml_syntax_error_has_a_line(tmp_path):
    [error] = errors_for(
        tmp_path, extra_files={"sample/1/translations/fr.yaml": "meta:\n  language: [fr\n"}
    )
    assert error.code == "yaml-syntax"
    assert error.line == 3


def test_missing_translation_falls_back_to_the_source_language(tmp_path):
    french = {"meta": {"language": "fr", "machine_translated": True}, "title": "Exemple"}
    sample_tree.write(tmp_path, extra_files={"sample/1/translations/fr.yaml": french})
    questionnaire = load_all(tmp_path, TYPES)[("sample", 1)]
    label = questionnaire.label(questionnaire.questions["job"], "fr")
    assert (label.value, label.lang) == ("Which job?", "en")
    assert questionnaire.title("fr").value == "Exemple"


def test_check_prints_errors_and_fails(tmp_path):
    def change(data):
        data["sections"][0]["questions"][1]["type"] = "yesno"

    sample_tree.write(tmp_path, questionnaire=broken_questionnaire(change))
    lines: list[str] = []
    assert check_tree(tmp_path, lines.append) is False
    assert any("unknown question type 'yesno'" in line for line in lines)


def test_check_prints_completeness_per_language(tmp_path):
    french = {"meta": {"language": "fr", "machine_translated": True}, "title": "Exemple"}
    sample_tree.write(tmp_path, extra_files={"sample/1/translations/fr.yaml": french})
    lines: list[str] = []
    assert check_tree(tmp_path, lines.append) is True
    french_line = next(line for line in lines if line.strip().startswith("fr"))
    part, missing, machine, outdated, reviewed = french_line.split()[1:]
    assert part == "questionnaire" and int(missing) > 0 and machine == "1"
    assert (outdated, reviewed) == ("0", "0")


def test_cli_check_exit_codes(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from engine.app.cli import main

    assert CliRunner().invoke(main, ["questionnaire", "check"]).exit_code == 0

    def change(data):
        data["sections"][0]["questions"][1]["type"] = "yesno"

    sample_tree.write(tmp_path, questionnaire=broken_questionnaire(change))
    result = CliRunner().invoke(main, ["questionnaire", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "unknown-type" in result.output
