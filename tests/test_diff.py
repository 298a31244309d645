"""The differences between two questionnaire versions, compared through their bundles."""

import copy
import json
from pathlib import Path

import pytest

from engine.app import plugins
from engine.app.config import PROJECT_ROOT
from engine.definition.loader import load_all
from engine.versions.diff import ADDED, CHANGED, ORDER, REMOVED, Change, as_json, as_text, diff
from engine.versions.frozen import freeze
from tests.sample_tree import CODELIST, CODELIST_EN, ENGLISH, QUESTIONNAIRE, write

TYPES = plugins.question_types(plugins.make_plugin_manager())
NB = {
    "meta": {"language": "nb", "machine_translated": False},
    "questions": {"job": {"label": "Hvilken jobb?"}},
}
DE = {"meta": {"language": "de"}, "questions": {"job": {"label": "Welcher Beruf?"}}}
FR = {"meta": {"language": "fr"}, "questions": {"job": {"label": "Quel métier ?"}}}


def bundle(root: Path, version: int, **files) -> dict:
    loaded = load_all(write(root, extra_files=files), TYPES)
    return freeze(loaded[("sample", version)])


def versions(tmp_path, edit=None, old_files=None, new_files=None) -> tuple[dict, dict]:
    """Version 1 of the sample tree and a version 2 changed by `edit(questionnaire, english)`."""
    questionnaire, english = copy.deepcopy(QUESTIONNAIRE), copy.deepcopy(ENGLISH)
    questionnaire["version"] = 2
    if edit:
        edit(questionnaire, english)
    second = {
        "sample/2/questionnaire.yaml": questionnaire,
        "sample/2/translations/en.yaml": english,
        **(new_files or {}),
    }
    return bundle(tmp_path / "old", 1, **(old_files or {})), bundle(tmp_path / "new", 2, **second)


def section(questionnaire: dict, sid: str) -> dict:
    return next(s for s in questionnaire["sections"] if s["id"] == sid)


def question(questionnaire: dict, qid: str) -> dict:
    return next(q for q in walk(questionnaire["sections"]) if q["id"] == qid)


def walk(sections: list[dict]):
    """Every question of the sections, nested ones included."""
    pending = [q for s in sections for q in s["questions"]]
    while pending:
        child = pending.pop()
        pending += child.get("questions", [])
        yield child


def summary(changes: list[Change], what: str) -> list[tuple]:
    return [(c.kind, c.path, c.old, c.new) for c in changes if c.what == what]


def paths(changes: list[Change], what: str) -> list[tuple[str, str]]:
    return [(c.kind, c.path) for c in changes if c.what == what]


def test_versions_that_say_the_same_have_no_differences(tmp_path):
    old, new = versions(tmp_path)
    assert old["content"]["source"]["version"] != new["content"]["source"]["version"]
    assert diff(old, new) == []
    assert diff(old, old) == []
    assert as_text([]) == "No differences."
    assert as_json([]) == []


def test_settings_of_the_questionnaire_come_first(tmp_path):
    def edit(questionnaire, english):
        questionnaire["title"] = "name"
        english["name"] = english.pop("title")

    changes = diff(*versions(tmp_path, edit))
    assert [(c.what, c.path, c.old, c.new) for c in changes] == [
        ("questionnaire", "questionnaire title", "title", "name"),
        ("text", "text en name", None, "Sample"),
        ("text", "text en title", "Sample", None),
    ]
    assert as_text(changes).splitlines()[0] == '~ title of questionnaire: "title" → "name"'


def edit_sections(questionnaire, english):
    staff = section(questionnaire, "staff")
    staff["audience"] = "all"
    work = {"id": "work", "questions": [{"id": "employer", "type": "text"}]}
    questionnaire["sections"] = [staff, section(questionnaire, "about"), work]
    english["sections"]["work"] = {"title": "Work"}
    english["questions"]["employer"] = {"label": "Employer"}


def test_sections_added_moved_and_audience_changed(tmp_path):
    changes = diff(*versions(tmp_path, edit_sections))
    assert summary(changes, "section") == [
        (CHANGED, "section staff audience", "staff", "all"),
        (CHANGED, "section staff position", 2, 1),
        (ADDED, "section work", None, {"audience": "all"}),
    ]
    assert "+ question employer (text) in section work" in as_text(changes).splitlines()


def test_a_removed_section_takes_its_questions_along(tmp_path):
    def edit(questionnaire, english):
        questionnaire["sections"].pop()
        del english["sections"]["staff"], english["questions"]["remarks"]

    changes = diff(*versions(tmp_path, edit))
    assert paths(changes, "section") == [(REMOVED, "section staff")]
    assert paths(changes, "question") == [(REMOVED, "question remarks")]


def edit_questions(questionnaire, english):
    about = section(questionnaire, "about")["questions"]
    country, has_job, _job, courses = about
    start = courses["questions"].pop(2)
    about[:] = [has_job, country, courses, start]
    courses["questions"].append({"id": "hours", "type": "integer"})
    has_job["required"] = True
    question(questionnaire, "end")["max"] = 2030
    question(questionnaire, "remarks")["type"] = "text"
    question(questionnaire, "status")["options"] = ["done", "ongoing", "planned"]
    del english["questions"]["job"]
    english["questions"]["hours"] = {"label": "Hours"}
    english["options"]["status"]["planned"] = "Planned"


def test_questions_added_removed_moved_and_changed(tmp_path):
    changes = diff(*versions(tmp_path, edit_questions))
    assert [c for c in summary(changes, "question") if c[0] == CHANGED] == [
        (CHANGED, "question end max", None, 2030),
        (CHANGED, "question has_job position", 2, 1),
        (CHANGED, "question has_job required", False, True),
        (CHANGED, "question remarks type", "long_text", "text"),
        (CHANGED, "question start place", "group courses", "section about"),
        (CHANGED, "question status options", "status", "(own list)"),
    ]
    assert paths(changes, "question") == [
        (CHANGED, "question end max"),
        (CHANGED, "question has_job position"),
        (CHANGED, "question has_job required"),
        (ADDED, "question hours"),
        (REMOVED, "question job"),
        (CHANGED, "question remarks type"),
        (CHANGED, "question start place"),
        (CHANGED, "question status options"),
    ]
    added = next(c for c in changes if c.path == "question hours")
    assert (added.new["type"], added.new["place"]) == ("integer", "group courses")
    removed = next(c for c in changes if c.path == "question job")
    assert removed.old["visible_if"] == "has_job == 'yes'"
    assert paths(changes, "option") == [(ADDED, "question status option planned")]
    assert paths(changes, "rule") == []
    assert paths(changes, "text") == [
        (ADDED, "text en options.status.planned"),
        (ADDED, "text en questions.hours.label"),
        (REMOVED, "text en questions.job.label"),
    ]


def edit_options(questionnaire, english):
    question(questionnaire, "level")["extra_options"] = ["other"]
    questionnaire["option_lists"]["status"].append("planned")
    questionnaire["option_lists"]["size"] = ["small", "large"]
    questionnaire["codelists"].append("sector")
    english["options"]["extra"] = {"other": "Other"}
    english["options"]["status"]["planned"] = "Planned"
    english["options"]["size"] = {"small": "Small", "large": "Large"}


NEW_CODELISTS = {
    "codelists/level.yaml": {**CODELIST, "description": "Levels", "values": ["1", "3"]},
    "codelists/sector.yaml": {"id": "sector", "source": "test", "values": ["public"]},
    "codelists/translations/en.yaml": {
        **CODELIST_EN,
        "level": {"1": "One", "3": "Three"},
        "sector": {"public": "Public"},
    },
}


def test_option_values_of_lists_code_lists_and_extras(tmp_path):
    changes = diff(*versions(tmp_path, edit_options, new_files=NEW_CODELISTS))
    assert paths(changes, "option") == [
        (REMOVED, "question level option 2"),
        (ADDED, "question level option 3"),
        (ADDED, "question level option other"),
        (ADDED, "question status option planned"),
    ]
    assert summary(changes, "option_list") == [
        (ADDED, "option list size", None, ["small", "large"]),
        (ADDED, "option list status value planned", None, None),
    ]
    assert summary(changes, "codelist") == [
        (CHANGED, "codelist level description", None, "Levels"),
        (REMOVED, "codelist level value 2", None, None),
        (ADDED, "codelist level value 3", None, None),
        (
            ADDED,
            "codelist sector",
            None,
            NEW_CODELISTS["codelists/sector.yaml"] | {"description": None},
        ),
    ]
    assert paths(changes, "text")[:3] == [
        (REMOVED, "codelist text en level.2"),
        (ADDED, "codelist text en level.3"),
        (ADDED, "codelist text en sector.public"),
    ]


def edit_rules(questionnaire, english):
    question(questionnaire, "job")["visible_if"] = "has_job != 'no'"
    end = question(questionnaire, "end")
    end["visible_if"] = None
    end["constraints"][0]["check"] = "end > start"
    question(questionnaire, "start")["constraints"] = [
        {"check": "start >= 1950", "message": "too_early"}
    ]
    english["messages"]["too_early"] = "Too early."


def test_rules_added_removed_and_changed(tmp_path):
    changes = diff(*versions(tmp_path, edit_rules))
    assert summary(changes, "rule") == [
        (CHANGED, "question end constraint end_early", "end >= start", "end > start"),
        (REMOVED, "question end visible_if", "status != 'ongoing'", None),
        (CHANGED, "question job visible_if", "has_job == 'yes'", "has_job != 'no'"),
        (ADDED, "question start constraint too_early", None, "start >= 1950"),
    ]
    assert summary(changes, "question") == []


LONG = "Which job do you have now, or which job did you have last, before you came to this country?"


def edit_texts(_questionnaire, english):
    english["title"] = "Sample survey"
    english["questions"]["job"] = {"label": LONG, "hint": "Your main job."}


def test_texts_code_list_labels_and_languages(tmp_path):
    old_files = {"sample/1/translations/nb.yaml": NB, "sample/1/translations/de.yaml": DE}
    nb = copy.deepcopy(NB)
    nb["meta"]["machine_translated"] = True
    nb["questions"]["job"]["label"] = "Hvilket arbeid?"
    new_files = {
        "sample/2/translations/nb.yaml": nb,
        "sample/2/translations/fr.yaml": FR,
        "codelists/translations/en.yaml": {**CODELIST_EN, "level": {"1": "First", "2": "Two"}},
    }
    changes = diff(*versions(tmp_path, edit_texts, old_files, new_files))
    meta = {"machine_translated": False, "native_name": None, "cldr_locale": None}
    assert summary(changes, "language") == [
        (REMOVED, "language de", meta, None),
        (ADDED, "language fr", None, meta),
        (CHANGED, "language nb machine_translated", False, True),
    ]
    assert summary(changes, "text") == [
        (CHANGED, "codelist text en level.1", "One", "First"),
        (ADDED, "text en questions.job.hint", None, "Your main job."),
        (CHANGED, "text en questions.job.label", "Which job?", LONG),
        (CHANGED, "text en title", "Sample", "Sample survey"),
        (CHANGED, "text nb questions.job.label", "Hvilken jobb?", "Hvilket arbeid?"),
    ]


def edit_one_of_each(questionnaire, english):
    section(questionnaire, "staff")["audience"] = "all"
    question(questionnaire, "has_job")["required"] = True
    question(questionnaire, "job")["visible_if"] = None
    questionnaire["option_lists"]["status"].append("planned")
    english["options"]["status"]["planned"] = "Planned"
    english["questions"]["job"]["label"] = LONG


def test_sections_come_first_then_questions_options_rules_and_texts(tmp_path):
    changes = diff(*versions(tmp_path, edit_one_of_each))
    assert [(c.what, c.path) for c in changes] == [
        ("section", "section staff audience"),
        ("question", "question has_job required"),
        ("option", "question status option planned"),
        ("rule", "question job visible_if"),
        ("option_list", "option list status value planned"),
        ("text", "text en options.status.planned"),
        ("text", "text en questions.job.label"),
    ]
    order = [(ORDER.index(c.what), c.path) for c in changes]
    assert order == sorted(order)


def test_text_for_an_editor(tmp_path):
    changes = diff(*versions(tmp_path, edit_one_of_each))
    short = LONG[:79] + "…"
    assert as_text(changes).splitlines() == [
        '~ audience of section staff: "staff" → "all"',
        "~ required of question has_job: false → true",
        "+ option planned of question status",
        "- visible_if of question job: \"has_job == 'yes'\"",
        "+ value planned of option list status",
        '+ text en options.status.planned: "Planned"',
        f'~ text en questions.job.label: "Which job?" → "{short}"',
    ]


def test_json_for_exports(tmp_path):
    changes = diff(*versions(tmp_path, edit_questions))
    exported = as_json(changes)
    assert json.loads(json.dumps(exported)) == exported
    assert exported[0] == {
        "kind": "changed",
        "what": "question",
        "path": "question end max",
        "subject": "question end",
        "item": "max",
        "old": None,
        "new": 2030,
    }
    assert [e["path"] for e in exported] == [c.path for c in changes]


@pytest.fixture(scope="module")
def shipped():
    """The bundle of version 1 of the shipped questionnaire."""
    loaded = load_all(PROJECT_ROOT / "questionnaires", TYPES)
    return freeze(next(q for (_qid, version), q in sorted(loaded.items()) if version == 1))


def test_the_shipped_questionnaire_against_itself(shipped):
    assert diff(shipped, copy.deepcopy(shipped)) == []


def test_the_shipped_questionnaire_against_an_edited_copy(shipped):
    edited = copy.deepcopy(shipped)
    content = edited["content"]
    sections = content["source"]["sections"]
    sections.append(sections.pop(0))
    first = sections[-1]["questions"][0]
    first["required"] = not first["required"]
    languages = content["translations"]["languages"]
    dropped = sorted(set(languages) - {content["translations"]["source_language"]})[0]
    del languages[dropped]
    name, codelist = sorted(content["codelists"].items())[0]
    codelist["values"].append("zz")
    users = sorted(q["id"] for q in walk(sections) if q["options"] == name)
    assert users
    changes = diff(shipped, edited)
    assert (CHANGED, f"section {sections[-1]['id']} position") in paths(changes, "section")
    assert paths(changes, "question") == [(CHANGED, f"question {first['id']} required")]
    assert paths(changes, "language") == [(REMOVED, f"language {dropped}")]
    assert paths(changes, "codelist") == [(ADDED, f"codelist {name} value zz")]
    assert paths(changes, "option") == [(ADDED, f"question {qid} option zz") for qid in users]
    assert paths(changes, "text") == []
