"""No question id in code (issue 20): the CV and the statistics read what they need from the
questionnaire's `uses:`, which `check` holds to the version's questions."""

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from adminui import statistics
from auth.people.models import Person
from bench import mappings
from engine.app.cli import main
from engine.app.config import PROJECT_ROOT
from engine.definition.questionnaire_check import check_tree
from engine.questionnaire import schema
from renderers import cv
from tests.test_statistics_rules import kompass_v1
from tests.translation_helpers import copy_tree, published_app

# Tests and benchmarks fill in the Kompass questionnaire on purpose; they are not the product.
NOT_CODE = {"tests", "bench", "questionnaires", "mutants", "instance", "node_modules"}
# The person registry's own columns (from the national registry, not from any questionnaire)
# happen to share a name with a question; they are the registry's, so they may be named.
REGISTRY_COLUMNS = {column.key for column in Person.__table__.columns}


def _sources() -> list[Path]:
    return [
        path
        for path in PROJECT_ROOT.rglob("*.py")
        if not ({part for part in path.relative_to(PROJECT_ROOT).parts} & NOT_CODE)
        and not path.relative_to(PROJECT_ROOT).parts[0].startswith(".")
    ]


def _strings(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_no_python_source_names_a_question_of_the_kompass_questionnaire():
    questions = set(kompass_v1().questions) - REGISTRY_COLUMNS
    found = {
        f"{path.relative_to(PROJECT_ROOT)}: {name}"
        for path in _sources()
        for name in _strings(path) & questions
    }
    assert len(_sources()) > 100 and "edu_name" in questions
    assert sorted(found) == []


def test_renaming_a_question_without_its_uses_fails_check_at_the_place(tmp_path):
    root = copy_tree(tmp_path)
    source = root / "kompass" / "1" / "questionnaire.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("- id: edu_name\n", "- id: edu_title\n"), encoding="utf-8")
    lines: list[str] = []
    assert check_tree(root, lines.append) is False
    [error] = [line for line in lines if "[use-question-unknown]" in line]
    assert "at uses.cv.education.title:" in error and "'edu_name'" in error


def test_renaming_a_question_and_its_uses_carries_through_to_the_cv_and_statistics(
    tmp_path, database_url
):
    root = copy_tree(tmp_path)
    version = root / "kompass" / "1"
    for path in [version / "questionnaire.yaml", *(version / "translations").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("edu_name", "edu_title").replace("edu_level", "edu_isced"),
                        encoding="utf-8")  # fmt: skip
    lines: list[str] = []
    assert check_tree(root, lines.append) is True, "\n".join(lines)
    app = published_app(database_url, root)
    state = app.extensions["kompass"]
    with app.test_request_context("/"), state.sessions() as session:
        answers = mappings.maximum(schema.build(state.registry.active(session)))
        opened = mappings.store(session, state.registry, "person:1", "en", answers)
        assert answers["education"][0]["edu_title"] in cv.html(opened, "en", cv.Who(None, None))
        src = statistics.source(session, "kompass")
        tallies = statistics.tally(session, state.registry, src, statistics.Filters())
        assert tallies["education_level"].totals == {"": 1}
    state.sessions.kw["bind"].dispose()


@pytest.mark.parametrize(
    ("before", "after", "code", "place"),
    [
        ("      entries: jobs\n", "      entries: job_title\n", "use-question-kind",
         "uses.cv.work.entries"),
        ("      title: job_title\n", "      title: edu_name\n", "use-question-place",
         "uses.cv.work.title"),
        ("    digital: digital_tasks\n", "    digital: devices\n", "use-question-kind",
         "uses.statistics.digital"),
        ("  statistics:\n", "  statistic:\n", "use-unknown", "uses.statistic"),
        ("      holds: {question: has_licence, value: \"yes\"}\n", "      holds: has_licence\n",
         "schema-model_type", "uses.cv.licence.holds"),
    ],
)  # fmt: skip
def test_check_names_a_wrong_use_its_place_and_its_fix(tmp_path, before, after, code, place):
    root = copy_tree(tmp_path)
    source = root / "kompass" / "1" / "questionnaire.yaml"
    text = source.read_text(encoding="utf-8")
    assert before in text
    source.write_text(text.replace(before, after, 1), encoding="utf-8")
    lines: list[str] = []
    assert check_tree(root, lines.append) is False
    [error] = [line for line in lines if f"[{code}]" in line]
    assert "questionnaire.yaml:" in error and f" at {place}:" in error
    assert "how to fix:" in error


def test_publishing_refuses_a_version_whose_uses_name_a_missing_question(tmp_path, database_url):
    root = copy_tree(tmp_path)
    source = root / "kompass" / "1" / "questionnaire.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("      title: edu_name\n", "      title: edu_nam\n"), "utf-8")
    env = {"KOMPASS_QUESTIONNAIRES_DIR": str(root), "KOMPASS_DATABASE_URL": database_url}
    result = CliRunner().invoke(main, ["questionnaire", "publish", "kompass", "1"], env=env)
    assert result.exit_code == 1 and "[use-question-unknown]" in result.output
    assert "uses.cv.education.title" in result.output
