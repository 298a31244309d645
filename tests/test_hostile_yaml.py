"""Hostile YAML (issue 11): every kind of file, and the app with such files present.

Each case must end in one clean EditorError naming the file, a line and a fix — never a
traceback, never gigabytes of memory. Time is bounded by refusing before expanding anything:
the oversized case is over the size limit, so it is refused before it is parsed.
"""

import pytest

from engine.definition import yamlsource
from engine.definition.errors import QuestionnaireError
from engine.definition.loader import load_all
from tests import sample_tree
from tests.conftest import TEST_SETTINGS
from tests.staff_helpers import add_user, staff_login
from tests.test_loader import TYPES

pytestmark = pytest.mark.database_incidental

QUESTIONNAIRE = "sample/1/questionnaire.yaml"
FRENCH = "sample/1/translations/fr.yaml"
SIDECAR = "sample/1/translations/fr.state.yaml"
CODELIST = "codelists/level.yaml"
FRENCH_META = "meta:\n  language: fr\n  machine_translated: true\n"


def alias_bomb() -> str:
    """382 bytes that expand to hundreds of millions of strings if aliases were followed."""
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for depth in range(1, 9):
        name, below = "abcdefghi"[depth], "abcdefghi"[depth - 1]
        levels.append(f"{name}: &{name} [{','.join([f'*{below}'] * 9)}]")
    return "\n".join(levels) + "\n"


PAYLOADS = {
    "alias bomb": (alias_bomb(), "yaml-alias"),
    "self-referencing alias": ("loop: &loop [*loop]\n", "yaml-alias"),
    "50,000-deep nesting": ("deep: " + "[" * 50_000 + "]" * 50_000 + "\n", None),
    "5000-digit number": ("version: " + "9" * 5000 + "\n", "yaml-bad-value"),
    "impossible date": ("day: 2025-02-31\n", "yaml-bad-value"),
    "over the size limit": ("x: " + "1" * yamlsource.MAX_BYTES + "\n", "file-too-large"),
}
# libyaml (state sidecars) stops deep nesting in its scanner (a syntax error); ours counts depth
DEEP = {QUESTIONNAIRE: "yaml-too-deep", FRENCH: "yaml-too-deep", CODELIST: "yaml-too-deep"}
DEEP[SIDECAR] = "yaml-syntax"
CASES = [(file, name) for file in (QUESTIONNAIRE, FRENCH, CODELIST, SIDECAR) for name in PAYLOADS]


def hostile_files(file: str, payload: str) -> dict[str, str]:
    if file == SIDECAR:
        return {FRENCH: FRENCH_META, SIDECAR: payload}
    return {file: (FRENCH_META + payload) if file == FRENCH else payload}


@pytest.mark.parametrize(("file", "name"), CASES, ids=[f"{f}: {n}" for f, n in CASES])
def test_hostile_yaml_is_one_clean_error_naming_file_line_and_fix(tmp_path, file, name):
    payload, code = PAYLOADS[name]
    sample_tree.write(tmp_path, extra_files=hostile_files(file, payload))
    with pytest.raises(QuestionnaireError) as caught:
        load_all(tmp_path, TYPES)
    [error] = [e for e in caught.value.errors if e.file == tmp_path / file]
    assert error.code == (code or DEEP[file])
    assert error.suggestion is None and error.hint
    assert (error.line is None) == (code == "file-too-large")
    assert str(tmp_path / file) in str(error)


def test_a_bad_value_error_quotes_only_the_start_of_the_value(tmp_path):
    sample_tree.write(tmp_path, extra_files={CODELIST: "values: [" + "7" * 5000 + "]\n"})
    with pytest.raises(QuestionnaireError) as caught:
        load_all(tmp_path, TYPES)
    [error] = [e for e in caught.value.errors if e.file == tmp_path / CODELIST]
    assert (error.code, error.line) == ("yaml-bad-value", 1)
    assert "7" * yamlsource.MAX_SHOWN in error.message
    assert "7" * (yamlsource.MAX_SHOWN + 1) not in error.message


@pytest.fixture
def hostile_tree(tree):
    """The real questionnaires with hostile files in the published version and in a draft."""
    draft = tree / "kompass" / "2"
    (draft / "translations").mkdir(parents=True)
    (draft / "questionnaire.yaml").write_text("id: kompass\nversion: " + "9" * 5000 + "\n")
    (draft / "translations" / "fr.yaml").write_text(alias_bomb())
    return tree


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_app_starts_and_serves_with_hostile_files_present(database_url, hostile_tree, name):
    from tests.translation_helpers import published_app

    app = published_app(database_url, hostile_tree)
    published_french = hostile_tree / "kompass" / "1" / "translations" / "fr.yaml"
    published_french.write_text(PAYLOADS[name][0])
    (published_french.with_name("fr.state.yaml")).write_text(PAYLOADS[name][0])
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/fr/login").status_code == 200
    state = app.extensions["kompass"]
    with state.sessions() as session:
        [warning] = state.registry.changed_files_warnings(session)
    assert "files differ from the published version (translations/fr.state.yaml, " in warning
    add_user(app, "editor", ["innholdsredaktor"], None)
    staff_login(client, "editor")
    listing = client.get("/admin/innhold")
    draft = client.get("/admin/innhold/kompass/2")
    assert (listing.status_code, draft.status_code) == (200, 200)
    assert "yaml-bad-value" in draft.text or "is not a number or date" in draft.text


def test_create_app_reads_no_questionnaire_file(database_url, hostile_tree, monkeypatch):
    from engine.app.factory import create_app

    def refuse(_file):
        raise AssertionError("create_app read a questionnaire file")

    monkeypatch.setattr(yamlsource, "_parse", refuse)
    monkeypatch.setattr(yamlsource, "_parse_fast", refuse)
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url}
    create_app({**settings, "QUESTIONNAIRES_DIR": str(hostile_tree)})


def test_deep_nesting_in_a_sidecar_without_libyaml_is_too_deep(tmp_path, monkeypatch):
    class PurePython(yamlsource._ReadableValues, yamlsource.yaml.SafeLoader):
        """The loader PyYAML falls back to without libyaml: it recurses while composing."""

    monkeypatch.setattr(yamlsource, "_FastLoader", PurePython)
    sidecar = tmp_path / "fr.state.yaml"
    sidecar.write_text(PAYLOADS["50,000-deep nesting"][0])
    with pytest.raises(QuestionnaireError) as caught:
        yamlsource.read_yaml_data(sidecar)
    assert [(e.code, e.file) for e in caught.value.errors] == [("yaml-too-deep", sidecar)]
