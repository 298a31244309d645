"""How editors' YAML is read fast: libyaml where the file cannot hold what it refuses, the same
data and lines as the checking reader, and what was read kept by content, never by name."""

from pathlib import Path

import pytest

from engine.app.config import PROJECT_ROOT
from engine.definition import yamlsource
from engine.definition.errors import QuestionnaireError

EDITORS_FILES = sorted(
    file for file in (PROJECT_ROOT / "questionnaires").rglob("*.yaml") if "state" not in file.name
)


def test_libyaml_reads_every_real_file_as_the_checking_reader_does():
    assert len(EDITORS_FILES) > 50
    for file in EDITORS_FILES:
        text = file.read_text(encoding="utf-8")
        assert "&" in text or yamlsource._composed_by_libyaml(text) is not None, file
        assert yamlsource._parse_text(text, file) == yamlsource._parse_checking(text, file), file


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("a: 1\nb: &x [1]\n", "yaml-alias", 2),  # an anchor alone is refused too
        ("a: 1\nb: *x\n", "yaml-alias", 2),
        ("a:\n" + "  - " * 60 + "x\n", "yaml-too-deep", 2),
        ("a: 1\na: 2\n", "duplicate-key", 2),
        ("a: [1\n", "yaml-syntax", 2),
    ],
)
def test_what_libyaml_would_pass_or_word_differently_is_refused_as_before(
    tmp_path, text, code, line
):
    file = tmp_path / "q.yaml"
    file.write_text(text)
    with pytest.raises(QuestionnaireError) as caught:
        yamlsource.read_yaml(file)
    [error] = caught.value.errors
    assert (error.code, error.line, error.file) == (code, line, file)


def test_a_file_rewritten_at_once_is_read_again(tmp_path):
    """Kept by content: a rewrite in the same instant with the same size is seen."""
    file = tmp_path / "q.yaml"
    for value in ("aaa", "bbb", "aaa"):
        file.write_text(f"value: {value}\n")
        assert yamlsource.read_yaml(file).data == {"value": value}
        assert yamlsource.read_yaml_data(file) == {"value": value}


def test_a_reader_that_changes_what_it_got_changes_nobody_elses(tmp_path):
    file = tmp_path / "q.yaml"
    file.write_text("items: [1, 2]\n")
    yamlsource.read_yaml(file).data["items"].append(3)
    yamlsource.read_yaml_data(file)["items"].clear()
    assert yamlsource.read_yaml(file).data == {"items": [1, 2]}
    assert yamlsource.read_yaml_data(file) == {"items": [1, 2]}


def test_the_same_refused_text_names_each_file_it_is_in(tmp_path):
    errors = []
    for name in ("one.yaml", "two.yaml"):
        file = tmp_path / name
        file.write_text("a: 1\na: 2\n")
        with pytest.raises(QuestionnaireError) as caught:
            yamlsource.read_yaml(file)
        errors += [(Path(e.file).name, e.code) for e in caught.value.errors]
    assert errors == [("one.yaml", "duplicate-key"), ("two.yaml", "duplicate-key")]
