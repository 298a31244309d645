"""Editor errors: one catalogue of codes, hostile YAML, repeated keys and values, near misses."""

import copy
import re
import time
from dataclasses import dataclass

import pytest
import yaml
from pydantic import BaseModel, Field, ValidationError

from engine.app.config import PROJECT_ROOT
from engine.definition import error_catalogue, yamlsource
from engine.definition.error_catalogue import CATALOGUE, UnknownErrorCode, editor_error
from engine.definition.loader import pydantic_errors
from tests import sample_tree
from tests.test_loader import errors_for

QUESTIONNAIRE = "sample/1/questionnaire.yaml"
FRENCH = "sample/1/translations/fr.yaml"
GRADE = "codelists/grade.yaml"
LOADER_MODULES = (
    "definition/yamlsource.py",
    "definition/loader.py",
    "definition/codelists.py",
    "definition/language_file.py",
    "translation/files.py",
    "versions/publishing.py",
)
FRENCH_META = "meta:\n  language: fr\n  machine_translated: true\n"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based number of the nth line of `text` that contains `needle`."""
    return [n for n, line in enumerate(text.splitlines(), 1) if needle in line][nth - 1]


def questionnaire(change) -> str:
    data = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def first_question(**keys):
    return lambda data: data["sections"][0]["questions"][0].update(keys)


def new_staff_question(**question):
    return lambda data: data["sections"][1]["questions"].append(question)


def in_group(index: int, **keys):
    return lambda data: data["sections"][0]["questions"][3]["questions"][index].update(keys)


def repeated_required_key() -> str:
    """The sample questionnaire with a second `required:` under the first question."""
    text = questionnaire(lambda data: None)
    return text.replace("    required: true\n", "    required: true\n    required: false\n", 1)


def alias_bomb() -> str:
    """Billion laughs: nine levels of nine aliases each, 387 million strings once expanded."""
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for depth in range(1, 9):
        name, below = "abcdefghi"[depth], "abcdefghi"[depth - 1]
        levels.append(f"{name}: &{name} [{','.join([f'*{below}'] * 9)}]")
    return FRENCH_META + "\n".join(levels) + "\n"


@dataclass(frozen=True)
class Broken:
    """One file with one mistake, and the error it must give."""

    file: str
    text: str
    code: str
    path: str
    needle: str
    nth: int = 1
    suggestion: str | None = None
    says: str = ""


REQUIRED_TWICE = repeated_required_key()
CASES = {
    "duplicate key in questionnaire.yaml": Broken(
        QUESTIONNAIRE,
        REQUIRED_TWICE,
        "duplicate-key",
        "sections[0].questions[0].required",
        "required: false",
        says=f"first on line {line_of(REQUIRED_TWICE, 'required: true')}",
    ),
    "duplicate key in a translation file": Broken(
        FRENCH,
        FRENCH_META + "title: Exemple\ntitle: Encore\n",
        "duplicate-key",
        "title",
        "title: Encore",
        says="first on line 4",
    ),
    "duplicate key in a code list": Broken(
        GRADE,
        "id: grade\nsource: test\nsource: again\nvalues: [low]\n",
        "duplicate-key",
        "source",
        "source: again",
        says="first on line 2",
    ),
    "alias bomb": Broken(FRENCH, alias_bomb(), "yaml-alias", "", "&a", says="'&a'"),
    "anchor": Broken(FRENCH, FRENCH_META + "title: &t Exemple\n", "yaml-alias", "", "&t"),
    "alias": Broken(FRENCH, FRENCH_META + "title: *bold\n", "yaml-alias", "", "*bold"),
    "nesting too deep": Broken(
        FRENCH, FRENCH_META + "title: " + "[" * 60 + "]" * 60 + "\n", "yaml-too-deep", "", "title"
    ),
    "repeated inline option": Broken(
        QUESTIONNAIRE,
        questionnaire(new_staff_question(id="pick", type="single_choice", options=["red", "red"])),
        "duplicate-option",
        "sections[1].questions[1].options[1]",
        "- red",
        nth=2,
    ),
    "repeated value in an option list": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data["option_lists"]["status"].append("done")),
        "duplicate-option",
        "option_lists.status[2]",
        "- done",
        nth=2,
    ),
    "repeated extra option": Broken(
        QUESTIONNAIRE,
        questionnaire(first_question(extra_options=["stateless", "stateless"])),
        "duplicate-option",
        "sections[0].questions[0].extra_options[1]",
        "- stateless",
        nth=2,
    ),
    "extra option that CLDR already has": Broken(
        QUESTIONNAIRE,
        questionnaire(first_question(extra_options=["NO"])),
        "duplicate-option",
        "sections[0].questions[0].extra_options[0]",
        "- 'NO'",
        says="among CLDR's country codes",
    ),
    "first option CLDR does not have": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data.update(first_options={"countries": ["NO", "QQ"]})),
        "unknown-option",
        "first_options.countries[1]",
        "- QQ",
        says="'QQ' is not among CLDR's country codes nor an extra option",
    ),
    "left-out option CLDR does not have": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data.update(left_out_options={"countries": ["stateless"]})),
        "unknown-option",
        "left_out_options.countries[0]",
        "- stateless",
        says="'stateless' is not among CLDR's country codes",
    ),
    "extra option already in the code list": Broken(
        QUESTIONNAIRE,
        questionnaire(in_group(0, extra_options=["2"])),
        "duplicate-option",
        "sections[0].questions[3].questions[0].extra_options[0]",
        "- '2'",
        says="in code list 'level'",
    ),
    "extra option already in the option list": Broken(
        QUESTIONNAIRE,
        questionnaire(in_group(1, extra_options=["done"])),
        "duplicate-option",
        "sections[0].questions[3].questions[1].extra_options[0]",
        "- done",
        nth=2,
        says="in option list 'status'",
    ),
    "repeated row": Broken(
        QUESTIONNAIRE,
        questionnaire(
            new_staff_question(
                id="skills", type="scale", rows=["speak", "read", "speak"], options=["good"]
            )
        ),
        "duplicate-row",
        "sections[1].questions[1].rows[2]",
        "- speak",
        nth=2,
    ),
    "repeated code list value": Broken(
        GRADE,
        "id: grade\nsource: test\nvalues:\n- low\n- high\n- low\n",
        "duplicate-option",
        "values[2]",
        "- low",
        nth=2,
        says="first on line 4",
    ),
    "misspelt question key": Broken(
        QUESTIONNAIRE,
        questionnaire(first_question(requird=True)),
        "schema-extra_forbidden",
        "sections[0].questions[0].requird",
        "requird",
        suggestion="required",
    ),
    "misspelt section key": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data["sections"][1].update(audiance="staff")),
        "schema-extra_forbidden",
        "sections[1].audiance",
        "audiance",
        suggestion="audience",
    ),
    "misspelt top-level key": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data.update(sourcelanguage="en")),
        "schema-extra_forbidden",
        "sourcelanguage",
        "sourcelanguage",
        suggestion="source_language",
    ),
    "misspelt constraint key": Broken(
        QUESTIONNAIRE,
        questionnaire(in_group(3, constraints=[{"check": "end >= start", "mesage": "end_early"}])),
        "schema-extra_forbidden",
        "sections[0].questions[3].questions[3].constraints[0].mesage",
        "mesage",
        suggestion="message",
    ),
    "misspelt code list key": Broken(
        GRADE,
        "id: grade\nsource: test\nvalues: [low]\nvaleus: [high]\n",
        "schema-extra_forbidden",
        "valeus",
        "valeus",
        suggestion="values",
    ),
    "unknown question type": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data["sections"][0]["questions"][1].update(type="yesno")),
        "unknown-type",
        "sections[0].questions[1].type",
        "yesno",
        suggestion="yes_no",
    ),
    "unknown option list": Broken(
        QUESTIONNAIRE,
        questionnaire(in_group(1, options="statuss")),
        "unknown-option-list",
        "sections[0].questions[3].questions[1].options",
        "statuss",
        suggestion="status",
    ),
    "unknown code list": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data.update(codelists=["level", "levle"])),
        "unknown-codelist",
        "codelists[1]",
        "- levle",
        suggestion="level",
    ),
    "unknown ordered list": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data.update(ordered_lists=["level", "statsu"])),
        "unknown-ordered-list",
        "ordered_lists[1]",
        "- statsu",
        suggestion="status",
    ),
    "unknown question in an expression": Broken(
        QUESTIONNAIRE,
        questionnaire(
            lambda data: data["sections"][0]["questions"][2].update(visible_if="has_jb == 'yes'")
        ),
        "unknown-question-in-expression",
        "sections[0].questions[2].visible_if",
        "has_jb",
        suggestion="has_job",
    ),
    "unknown translation key": Broken(
        FRENCH,
        FRENCH_META + "questions:\n  contry:\n    label: Pays\n",
        "unknown-translation-key",
        "questions.contry.label",
        "label: Pays",
        suggestion="questions.country.label",
    ),
    "unknown meta key": Broken(
        FRENCH,
        FRENCH_META + "  translater: Ola\n",
        "unknown-meta-key",
        "meta.translater",
        "translater",
        suggestion="translator",
    ),
    "unknown type, nothing close": Broken(
        QUESTIONNAIRE,
        questionnaire(lambda data: data["sections"][0]["questions"][1].update(type="zzzz")),
        "unknown-type",
        "sections[0].questions[1].type",
        "zzzz",
    ),
    "unknown key, nothing close": Broken(
        QUESTIONNAIRE,
        questionnaire(first_question(qqqqqqqq=True)),
        "schema-extra_forbidden",
        "sections[0].questions[0].qqqqqqqq",
        "qqqqqqqq",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_rule_names_code_file_path_line_and_suggestion(tmp_path, case):
    errors = errors_for(tmp_path, extra_files={case.file: case.text})
    [error] = [e for e in errors if e.code == case.code]
    assert error.file == tmp_path / case.file
    assert error.path == case.path
    assert error.line == line_of(case.text, case.needle, case.nth)
    assert case.says in error.message
    assert error.suggestion == case.suggestion
    assert ("did you mean" in str(error)) == (case.suggestion is not None)


def test_the_alias_bomb_fails_fast_without_expanding(tmp_path):
    started = time.perf_counter()
    [error] = errors_for(tmp_path, extra_files={FRENCH: alias_bomb()})
    assert time.perf_counter() - started < 1
    assert error.code == "yaml-alias"


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    text = "# padding\n" * (yamlsource.MAX_BYTES // 10 + 1)
    [error] = errors_for(tmp_path, extra_files={FRENCH: text})
    assert (error.code, error.file, error.line) == ("file-too-large", tmp_path / FRENCH, None)


def test_every_code_the_failure_cases_emit_is_in_the_catalogue(tmp_path):
    for index, case in enumerate(CASES.values()):
        errors = errors_for(tmp_path / str(index), extra_files={case.file: case.text})
        assert {e.code for e in errors} <= set(CATALOGUE), case


def test_an_unknown_code_cannot_be_emitted(tmp_path):
    with pytest.raises(UnknownErrorCode):
        editor_error("no-such-code", tmp_path / "x.yaml")


def test_a_missing_placeholder_is_a_programming_error(tmp_path):
    with pytest.raises(KeyError, match="known"):
        editor_error("unknown-type", tmp_path / "x.yaml", type="yesno")


def test_no_code_is_in_two_groups():
    assert sum(len(group) for group in error_catalogue.GROUPS.values()) == len(CATALOGUE)


def test_a_pydantic_error_type_not_in_the_catalogue_becomes_schema_invalid(tmp_path):
    class Odd(BaseModel):
        count: int = Field(gt=0)

    source = yamlsource.YamlSource(tmp_path / "odd.yaml", {"count": 0}, {("count",): 3})
    with pytest.raises(ValidationError) as caught:
        Odd.model_validate(source.data)
    [error] = pydantic_errors(source, caught.value, Odd)
    assert (error.code, error.path, error.line) == ("schema-invalid", "count", 3)


def test_the_loader_builds_errors_only_through_the_catalogue():
    for name in LOADER_MODULES:
        assert "EditorError(" not in (PROJECT_ROOT / "engine" / name).read_text(encoding="utf-8")


def test_every_catalogued_code_is_emitted_somewhere():
    """No dead entries; schema-* codes come from pydantic's error types."""
    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in (PROJECT_ROOT / "engine").rglob("*.py")
        if path.name != "error_catalogue.py"
    )
    unused = {c for c in CATALOGUE if not c.startswith("schema-") and f'"{c}"' not in sources}
    assert not unused


def test_the_doc_lists_exactly_the_catalogue():
    doc = (PROJECT_ROOT / error_catalogue.DOC_FILE).read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_-]+)` \|", doc, re.MULTILINE))
    assert documented == set(CATALOGUE), f"regenerate it: {error_catalogue.REGENERATE}"
    assert doc == error_catalogue.markdown(), f"regenerate it: {error_catalogue.REGENERATE}"
