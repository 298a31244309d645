"""The data package and change list that travel with every export, as the files read."""

import json
import zipfile
from types import SimpleNamespace

from engine.export import layout as layouts
from engine.export import package, run, verified
from engine.export.layout import BINARY, DATETIME, INTEGER, STRING, Column, Layout, Table
from engine.versions import published
from tests.test_export_criteria import LANGUAGES
from tests.test_statistics import publish_second_version

LEVEL = (("1", {"nb": "Grunnskole", "en": "Primary"}),)


def tiny_layout() -> Layout:
    responses = Table("responses", ("response_id",), [
        Column("response_id", INTEGER, "", {"en": "Response", "nb": "Besvarelse"}),
        Column("level", STRING, "level", {"en": "Level", "nb": "Nivå"}, values=LEVEL),
        Column("works", BINARY, "works"),
    ])  # fmt: skip
    jobs = Table("jobs", ("response_id", "entry"), [Column("response_id", INTEGER)],
                 parent="responses")  # fmt: skip
    return Layout("kompass", [1, 2], [responses, jobs], LANGUAGES)


def field(name, kind, title, description, **more) -> dict:
    return {"name": name, "type": kind, "title": title, "description": description, **more}


RESPONSE_FIELDS = [
    field("response_id", "integer", "Response", "Besvarelse"),
    field("level", "string", "Level", "Nivå", constraints={"enum": ["1"]}),
    field("works", "integer", "works", "", constraints={"enum": [0, 1]}),
]
JOBS_SCHEMA = {
    "fields": [field("response_id", "integer", "response_id", "")],
    "primaryKey": ["response_id", "entry"],
    "foreignKeys": [{"fields": ["response_id"],
                     "reference": {"resource": "responses", "fields": ["response_id"]}}],
}  # fmt: skip


def test_a_csv_export_is_a_tabular_data_package_with_keys_between_its_tables(tmp_path):
    files = {"responses": "responses.csv", "jobs": "jobs.csv"}
    assert package.write_datapackage(tmp_path, tiny_layout(), files, "csv") == "datapackage.json"
    tabular = {"profile": "tabular-data-resource", "encoding": "utf-8"}
    expected = {
        "profile": "tabular-data-package",
        "name": "kompass-export",
        "title": "kompass, versions 1, 2",
        "resources": [
            {"name": "responses", "path": "responses.csv", "format": "csv",
             "schema": {"fields": RESPONSE_FIELDS, "primaryKey": ["response_id"]}} | tabular,
            {"name": "jobs", "path": "jobs.csv", "format": "csv", "schema": JOBS_SCHEMA}
            | tabular,
        ],
    }  # fmt: skip
    written = (tmp_path / "datapackage.json").read_text("utf-8")
    assert written == json.dumps(expected, ensure_ascii=False, indent=2)


def test_another_format_is_a_data_package_with_what_the_format_adds(tmp_path):
    files = {"responses": "export.xlsx", "jobs": "export.xlsx"}
    package.write_datapackage(tmp_path, tiny_layout(), files, "xlsx")
    found = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert found["profile"] == "data-package"
    assert [(r["format"], r["dialect"], "encoding" in r) for r in found["resources"]] == [
        ("xlsx", {"sheetName": "responses"}, False), ("xlsx", {"sheetName": "jobs"}, False),
    ]  # fmt: skip


def test_a_table_without_a_file_is_left_out(tmp_path):
    package.write_datapackage(tmp_path, tiny_layout(), {"responses": "responses.csv"}, "csv")
    found = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in found["resources"]] == ["responses"]


def test_the_change_list_is_written_as_readable_utf8_json(tmp_path):
    changes = [{"question": "level", "change": "ny etikett på «Grunnskole»"}]
    assert package.write_changes(tmp_path, changes) == "changes.json"
    written = (tmp_path / "changes.json").read_text("utf-8")
    assert written == json.dumps(changes, ensure_ascii=False, indent=2)


def test_each_response_starts_with_its_facts_labelled_in_both_languages():
    facts = [
        ("response_id", "Svar-ID", "Response id"),
        ("person", "Person (pseudonym)", "Person (pseudonym)"),
        ("version", "Skjemaversjon", "Questionnaire version"),
        ("state", "Status", "State"),
        ("language", "Svarspråk", "Answer language"),
        ("mode", "Utfylt (alene/intervju)", "Mode (self/interview)"),
        ("created_at", "Startet", "Started"),
        ("updated_at", "Sist lagret", "Last saved"),
        ("submitted_at", "Sendt inn", "Submitted"),
    ]
    place = Column("municipality", STRING)
    for pseudonymised, id_kind, moment in ((False, INTEGER, DATETIME), (True, STRING, STRING)):
        columns = layouts.response_columns([place], LANGUAGES, pseudonymised)
        assert [(c.name, c.label["nb"], c.label["en"]) for c in columns[:-1]] == facts
        assert [c.kind for c in columns[:-1]] == [id_kind, STRING, INTEGER, STRING, STRING,
                                                  STRING, moment, moment, moment]  # fmt: skip
        assert columns[-1] is place
    assert layouts.response_columns([], LANGUAGES) == layouts.response_columns(
        [], LANGUAGES, pseudonymised=False
    )


def test_each_entry_starts_with_its_response_its_id_and_its_place_in_the_list():
    for pseudonymised, id_kind in ((False, INTEGER), (True, STRING)):
        columns = layouts.entry_columns(LANGUAGES, pseudonymised)
        assert [(c.name, c.kind, c.label) for c in columns] == [
            ("response_id", id_kind, {"nb": "Svar-ID", "en": "Response id"}),
            ("entry_id", STRING, {"nb": "Oppførings-ID", "en": "Entry id"}),
            ("position", INTEGER, {"nb": "Nummer i listen", "en": "Position"}),
        ]  # fmt: skip
    assert layouts.entry_columns(LANGUAGES) == layouts.entry_columns(LANGUAGES, pseudonymised=False)


class Version:
    """A questionnaire version as the verification columns read it: sections and titles."""

    def __init__(self, version: int, titles: dict[str, str]):
        self.version, self.titles = version, titles

    def sections(self, include_staff: bool = False):
        assert include_staff  # the counsellor's own section is verified too
        return [SimpleNamespace(id=section) for section in self.titles]

    def section_title(self, section, lang: str):
        return SimpleNamespace(value=f"{self.titles[section.id]} ({lang})")


def test_a_verification_column_per_section_of_any_version_labelled_by_the_newest():
    older = Version(1, {"personal": "Om deg", "work": "Arbeid"})
    newer = Version(2, {"work": "Jobb", "wishes": "Ønsker"})
    columns = verified.columns([newer, older], LANGUAGES)
    marks = (
        ("gone_through", {"nb": "Gått gjennom med personen", "en": "Gone through with the person"}),
        ("needs_follow_up", {"nb": "Må følges opp", "en": "Needs follow-up"}),
    )
    assert [(c.name, c.kind, c.versions, c.values) for c in columns] == [
        ("verified_personal", STRING, (1,), marks),
        ("verified_work", STRING, (1, 2), marks),
        ("verified_wishes", STRING, (2,), marks),
    ]  # fmt: skip
    assert columns[1].label == {"nb": "Verifisert: Jobb (nb)", "en": "Verified: Jobb (en)"}


def test_the_change_list_names_each_pair_of_versions_and_what_changed(app, tmp_path):
    publish_second_version(app, tmp_path)  # another English label for "yes"
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        versions = [state.registry.get(session, published.find(session, "kompass", n).id)
                    for n in (2, 1)]  # fmt: skip
    [change] = run.changes_between(versions)
    assert (change["from"], change["to"]) == (1, 2)
    assert "Yes, in version 2" in json.dumps(change["changes"])


def test_files_compressed_already_are_stored_and_the_rest_deflated(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("responses.csv", "export.xlsx", "jobs.parquet", "datapackage.json"):
        (folder / name).write_text("x" * 1000, "utf-8")
    out = tmp_path / "export.zip"
    run._zip(folder, out)
    with zipfile.ZipFile(out) as archive:
        packed = {info.filename: info.compress_type for info in archive.infolist()}
        assert archive.read("export.xlsx") == b"x" * 1000
    assert packed == {
        "datapackage.json": zipfile.ZIP_DEFLATED, "export.xlsx": zipfile.ZIP_STORED,
        "jobs.parquet": zipfile.ZIP_STORED, "responses.csv": zipfile.ZIP_DEFLATED,
    }  # fmt: skip


def test_columns_carry_the_versions_own_norwegian_and_english_labels(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        questionnaire = state.registry.active(session)
    layout = layouts.build([questionnaire], [], LANGUAGES)
    assert (layout.questionnaire_id, layout.versions) == ("kompass", [1])
    tables = {table.name: table for table in layout.tables}
    assert tables["responses"].key == ("response_id",)
    assert (tables["education"].key, tables["education"].parent) == (
        ("response_id", "entry_id"), "responses",
    )  # fmt: skip
    questions = questionnaire.questions

    def text(lookup, *args) -> dict[str, str]:
        return {lg: lookup(*args, lg).value for lg in ("nb", "en")}

    level, devices = questions["norwegian_level"], questions["devices"]
    scale = text(questionnaire.label, level)
    assert tables["education"].label == text(questionnaire.label, questions["education"])
    columns = {column.name: column for table in layout.tables for column in table.columns}
    school = columns["school_years"]
    assert (school.kind, school.question_type, school.label) == (
        INTEGER, "integer", text(questionnaire.label, questions["school_years"]),
    )  # fmt: skip
    read = columns["norwegian_level__read"]
    row = text(questionnaire.row_label, level, "read")
    assert read.label == {lg: f"{scale[lg]}: {row[lg]}" for lg in scale}
    assert dict(read.values)["good"] == text(questionnaire.option_label, level, "good")
    assert columns["devices"].summary and not columns["devices__tablet"].summary
    named = text(questionnaire.label, devices)
    option = text(questionnaire.option_label, devices, "tablet")
    assert columns["devices__tablet"].label == {lg: f"{named[lg]}: {option[lg]}" for lg in named}
    assert columns["devices__tablet"].kind == BINARY
    assert all(c.label["nb"] != c.label["en"] for c in (school, read, columns["devices__tablet"]))
