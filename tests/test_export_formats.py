"""Every export format, read back with its own library: what was answered is what the file says."""

import csv
import json
import math
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from xml.etree import ElementTree

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest
import yaml

from engine.app.config import PROJECT_ROOT
from engine.export.criteria import Asked, criteria
from engine.export.formats import FORMATS, parquet_format, xlsx_format
from engine.export.formats.jsonl_format import JsonLinesFormat
from engine.export.formats.parquet_format import ParquetFormat
from engine.export.formats.sav_codes import codes
from engine.export.formats.sav_format import SavFormat
from engine.export.formats.xlsx_format import XlsxFormat, sheet_names
from engine.export.layout import BINARY, DATETIME, INTEGER, STRING, Column, Layout, Table
from engine.export.rows import pseudonym
from engine.export.run import ExportError, Options, TooFewToExport, export
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from tests.test_export_criteria import LANGUAGES, OSLO
from tests.test_statistics import publish_second_version

KEY = "key"
SUBJECT = "person:1"
PERSON = Respondent(SUBJECT)
NURSE_AR, NURSE_TI = "ممرضة", "ነርስ"
TASKS = "ምሕብሓብ ሕሙማት\nرعاية المرضى"
GOALS = "أريد أن أعمل ممرضة في النرويج"
FORMULA = "=1+1"
SCRIPTS = ("latin", "arabic", "cyrillic", "geez", "other")
DEVICES = ("smartphone", "computer", "tablet", "none")
LICENCES = ("AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "T")
SKILLS = ("understand", "speak", "read", "write")
GROUPS = ("education", "other_languages", "jobs")
PACKAGE_FILES = {"codebook.csv", "codebook_values.csv", "datapackage.json", "changes.json"}


def test_every_format_is_registered():
    assert set(FORMATS) == {"csv", "jsonl", "xlsx", "parquet", "sav"}


@pytest.fixture
def answered(app):
    """One submitted response in Arabic that answers every question type, and its entry ids."""
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(SUBJECT, "ar")
        ids = {group: [] for group in GROUPS}
        for group, count in (("education", 2), ("other_languages", 1), ("jobs", 1)):
            for _ in range(count):
                added = service.add_entry(opened, group, opened.response.revision, "ar", PERSON)
                ids[group].append(added.entry_id)
        for section, answers in sections(ids).items():
            saved = service.save_section(
                opened, section, answers, opened.response.revision, "ar", PERSON
            )
            assert saved.problems == [], section
        assert service.submit(opened, opened.response.revision, PERSON).problems == []
        stored = opened.response.answers
        assert {g: [e["_id"] for e in stored[g]] for g in GROUPS} == ids
        submitted_at = opened.response.submitted_at
    return app, ids, submitted_at


def sections(ids: dict[str, list[str]]) -> dict[str, dict]:
    first, second = ids["education"]
    return {
        "personal": {"citizenship": "SY", "mother_tongue": "ti"},
        "education": {"school_years": 12, "education": [
            {"_id": first, "edu_level": "6", "edu_field": "09", "edu_name": NURSE_AR,
             "edu_country": "SY", "edu_start_year": 2010, "edu_status": "completed",
             "edu_end_year": 2014, "edu_documented": "yes"},
            {"_id": second, "edu_name": FORMULA, "edu_status": "ongoing", "edu_start_year": 2022},
        ]},
        "language": {
            "mother_tongue_literacy": "a_little", "scripts": ["arabic", "geez"],
            "norwegian_level": {"understand": "basic", "speak": "none"},
            "other_languages": [{"_id": ids["other_languages"][0], "other_language": "ar",
                                 "other_language_level": {"understand": "very_good"}}],
        },
        "digital": {"digital_tasks": {"messaging": "alone"}},
        "licence": {"has_licence": "yes", "licence_categories": ["B", "BE"],
                    "licence_country": "ER", "licence_document": "no", "driving_years": 5},
        "work": {"has_work_experience": "yes", "jobs": [
            {"_id": ids["jobs"][0], "job_title": NURSE_TI, "job_isco": "2", "job_country": "ER",
             "job_from_year": 2015, "job_ongoing": "no", "job_to_year": 2019,
             "job_type": "employee", "job_tasks": TASKS},
        ]},
        "wishes": {"wished_work": FORMULA, "goals": GOALS},
    }  # fmt: skip


def expected_tables(ids: dict[str, list[str]]) -> dict[str, list[dict]]:
    """Each table's rows as answered; None is an empty cell."""
    response = {
        "version": 1, "state": "submitted", "language": "ar", "mode": "self",
        "person": pseudonym(KEY, SUBJECT), "municipality": None,
        "citizenship": "SY", "mother_tongue": "ti", "school_years": 12,
        "mother_tongue_literacy": "a_little", "scripts": "arabic;geez",
        **{f"scripts__{s}": int(s in ("arabic", "geez")) for s in SCRIPTS},
        "norwegian_level__understand": "basic", "norwegian_level__speak": "none",
        "norwegian_level__read": None, "english_level__write": None,
        "devices": None, **{f"devices__{d}": None for d in DEVICES},
        "digital_tasks__messaging": "alone", "digital_tasks__email": None,
        "has_licence": "yes", "licence_categories": "B;BE",
        **{f"licence_categories__{c}": int(c in ("B", "BE")) for c in LICENCES},
        "licence_country": "ER", "licence_document": "no", "driving_years": 5,
        "has_work_experience": "yes", "wished_work": FORMULA, "goals": GOALS,
        "courses": None, "interpreter_used": None,
    }  # fmt: skip
    first, second = ids["education"]
    return {
        "responses": [response],
        "education": [
            {"entry_id": first, "position": 1, "edu_level": "6", "edu_field": "09",
             "edu_name": NURSE_AR, "edu_country": "SY", "edu_start_year": 2010,
             "edu_status": "completed", "edu_end_year": 2014, "edu_documented": "yes"},
            {"entry_id": second, "position": 2, "edu_level": None, "edu_name": FORMULA,
             "edu_status": "ongoing", "edu_start_year": 2022, "edu_end_year": None},
        ],
        "other_languages": [
            {"entry_id": ids["other_languages"][0], "position": 1, "other_language": "ar",
             "other_language_level__understand": "very_good",
             "other_language_level__speak": None},
        ],
        "jobs": [
            {"entry_id": ids["jobs"][0], "position": 1, "job_title": NURSE_TI, "job_isco": "2",
             "job_country": "ER", "job_from_year": 2015, "job_ongoing": "no",
             "job_to_year": 2019, "job_type": "employee", "job_tasks": TASKS,
             "job_workplace": None},
        ],
    }  # fmt: skip


def run_export(app, out, options_of, progress=None, version="1"):
    """Export the submitted responses of `version` to `out` with `options_of(their criteria)`."""
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        found = criteria(session, Asked("kompass", version, ("submitted",)), OSLO, [])
        return export(session, state.registry, state.plugins.hook, options_of(found), out, KEY,
                      progress)  # fmt: skip


def exported(app, fmt: str, folder, version="1"):
    """Export the submitted responses of `version` in `fmt` and unzip it into `folder`."""
    folder.mkdir(exist_ok=True)
    out = folder / f"export-{fmt}.zip"
    run_export(app, out, lambda found: Options(found, fmt), version=version)
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder / fmt)
    return folder / fmt


def test_what_was_answered_is_what_the_file_says(answered, tmp_path):
    """Every format in turn, from one answered response (answered once, not once a format)."""
    app, ids, submitted_at = answered
    for fmt in sorted(FORMATS):
        assert_file_says(exported(app, fmt, tmp_path), fmt, ids, submitted_at)


def assert_file_says(folder, fmt: str, ids: dict, submitted_at) -> None:
    """The export in `folder` holds exactly the answers of `sections(ids)`."""
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    paths = {resource["path"] for resource in package["resources"]}
    assert paths == {p.name for p in folder.iterdir()} - PACKAGE_FILES
    tables = READERS[fmt](folder, package["resources"])
    response = tables["responses"][0]
    for table, rows in expected_tables(ids).items():
        assert len(tables[table]) == len(rows), (fmt, table)
        for read, expected in zip(tables[table], rows, strict=True):
            assert text(read["response_id"]) == text(response["response_id"]), fmt
            shown = {column: text(read[column]) for column in expected}
            assert shown == {c: as_written(fmt, v) for c, v in expected.items()}, (fmt, table)
    assert text(response["submitted_at"]) == submitted_at.astimezone(OSLO).date().isoformat()


def text(value) -> str:
    """A cell as text, the same in every format: "" when empty, 12 (not 12.0) for a number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_written(fmt: str, value) -> str:
    """CSV puts an apostrophe before formula-like text; every other format keeps it as it is."""
    shown = text(value)
    return "'" + shown if fmt == "csv" and shown.startswith("=") else shown


def read_csv(folder, resources) -> dict[str, list[dict]]:
    tables = {}
    for resource in resources:
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            tables[resource["name"]] = list(csv.DictReader(handle))
    return tables


def read_jsonl(folder, resources) -> dict[str, list[dict]]:
    """The responses, and each group's entries (nested in JSON Lines) as a table of its own."""
    (resource,) = resources
    tables = defaultdict(list)
    for line in (folder / resource["path"]).read_text("utf-8").splitlines():
        record = json.loads(line)
        for group in GROUPS:
            tables[group] += [{"response_id": record["response_id"], **e} for e in record[group]]
        tables[resource["name"]].append(record)
    return tables


def read_xlsx(folder, resources) -> dict[str, list[dict]]:
    book = openpyxl.load_workbook(folder / resources[0]["path"], read_only=True)
    tables = {}
    for resource in resources:
        header, *rows = book[resource["dialect"]["sheetName"]].iter_rows(values_only=True)
        tables[resource["name"]] = [dict(zip(header, row, strict=True)) for row in rows]
    return tables


def read_parquet(folder, resources) -> dict[str, list[dict]]:
    return {r["name"]: pq.read_table(folder / r["path"]).to_pylist() for r in resources}


def read_sav(folder, resources) -> dict[str, list[dict]]:
    """Each table's rows with its own column names and every code read back as the value the
    codebook says it stands for."""
    meaning: dict[tuple[str, str], dict[float, str]] = defaultdict(dict)
    for (table, column, value), code in spss_codes(folder).items():
        meaning[table, column][float(code)] = value
    tables = {}
    for resource in resources:
        name = resource["name"]
        own = {spss: column for column, spss in resource.get("spssNames", {}).items()}
        frame, _ = pyreadstat.read_sav(folder / resource["path"], apply_value_formats=False)
        tables[name] = [
            {c: meaning.get((name, c), {}).get(v, v) for c, v in row.items()}
            for row in frame.rename(columns=own).to_dict("records")
        ]
    return tables


READERS = {
    "csv": read_csv, "jsonl": read_jsonl, "xlsx": read_xlsx, "parquet": read_parquet,
    "sav": read_sav,
}  # fmt: skip


def codebook(folder, name: str = "codebook.csv") -> list[list[str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def spss_codes(folder) -> dict[tuple[str, str, str], str]:
    """(table, column, value) → its SPSS code, from codebook_values.csv."""
    header, *rows = codebook(folder, "codebook_values.csv")
    found = [dict(zip(header, row, strict=True)) for row in rows]
    return {(r["table"], r["column"], r["value"]): r["spss_code"] for r in found if r["spss_code"]}


def labels_of_values(folder) -> dict[tuple[str, str, str], str]:
    """(table, column, value) → its label in the first label language, from codebook_values.csv."""
    header, *rows = codebook(folder, "codebook_values.csv")
    found = [dict(zip(header, row, strict=True)) for row in rows]
    return {(r["table"], r["column"], r["value"]): r[f"label_{LANGUAGES[0]}"] for r in found}


def labels(folder) -> dict[tuple[str, str], dict[str, str]]:
    """(table, column) → {"nb": ..., "en": ...} from codebook.csv."""
    header, *rows = codebook(folder)
    found = [dict(zip(header, row, strict=True)) for row in rows]
    return {(r["table"], r["column"]): {"nb": r["label_nb"], "en": r["label_en"]} for r in found}


def test_formula_like_text_is_never_a_formula(answered, tmp_path):
    app, _, _ = answered
    folder = exported(app, "csv", tmp_path)
    with (folder / "education.csv").open(encoding="utf-8", newline="") as handle:
        assert [row["edu_name"] for row in csv.DictReader(handle)] == [NURSE_AR, "'=1+1"]
    folder = exported(app, "xlsx", tmp_path)
    with zipfile.ZipFile(folder / "export.xlsx") as workbook:
        sheets = [n for n in workbook.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in workbook.read(n) for n in sheets)
    book = openpyxl.load_workbook(folder / "export.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert len(cells) == 2 and {c.data_type for c in cells} == {"s"}


def test_xlsx_has_typed_cells_and_the_codebook(answered, tmp_path):
    app, _, _ = answered
    folder = exported(app, "xlsx", tmp_path)
    book = openpyxl.load_workbook(folder / "export.xlsx")
    header = [c.value for c in book["responses"][1]]
    row = {name: cell for name, cell in zip(header, book["responses"][2], strict=True)}
    assert (row["school_years"].value, row["school_years"].data_type) == (12, "n")
    assert (row["scripts__arabic"].value, row["devices__none"].value) == (1, None)
    assert (row["submitted_at"].data_type, len(row["submitted_at"].value)) == ("s", 10)
    assert book.sheetnames[-2:] == ["codebook", "values"]
    for sheet, name in (("codebook", "codebook.csv"), ("values", "codebook_values.csv")):
        rows = [[c if c is not None else "" for c in r] for r in book[sheet].values]
        assert rows == codebook(folder, name)


TRICKY_TEXTS = (  # each needs care for one reason, so each check of a row is tried alone
    "fish & chips", "1 < 2", "a ]]> b", " leading space", "trailing space ", "tab\there",
    "line\nbreak", "nul\x00 bell\x07 unit\x1f", "carriage\rreturn", "\ufffe\uffff",
    "a lone \ud800 surrogate", "_x0041_ is not A", "_x004a_x0042_ nor _X00_ nor _x12345",
)  # fmt: skip
EMOJI = "\U0001f600"  # two UTF-16 units
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def excel_text(value: str | None) -> str | None:
    """A cell's text as Excel shows it: openpyxl leaves Excel's _xHHHH_ escapes as they are."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), value) if value else value


def small_layout(name: str = "answers") -> Layout:
    columns = [Column("id", INTEGER), Column("text", STRING), Column("other", STRING),
               Column("count", INTEGER), Column("when", DATETIME)]  # fmt: skip
    return Layout("kompass", [1], [Table(name, ("id",), columns)], LANGUAGES)


def write_workbook(folder, layout: Layout, rows: list[dict]):
    writer = XlsxFormat(folder, layout)
    for row in rows:
        writer.write(layout.tables[0].name, row)
    writer.close()
    return folder / "export.xlsx"


def row_of(number: int, text=None, other=None, count=None, when=None) -> dict:
    return {"id": number, "text": text, "other": other, "count": count, "when": when}


def test_xlsx_keeps_every_text_as_excel_reads_it(tmp_path):
    texts = [*TRICKY_TEXTS, FORMULA, GOALS, TASKS, "x" * 40_000, "ab" + EMOJI * 16_383]
    pairs = [(t, NURSE_TI) for t in texts] + [(NURSE_TI, t) for t in TRICKY_TEXTS]
    pairs += [("", None), (TRICKY_TEXTS[0], TRICKY_TEXTS[-1]), ("", FORMULA)]  # "": no cell
    rows = [row_of(n, text, other) for n, (text, other) in enumerate(pairs, 1)]
    path = write_workbook(tmp_path, small_layout(), rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        book = openpyxl.load_workbook(path)
    cells = list(book["answers"].iter_rows(min_row=2, min_col=2, max_col=3))
    read = [(excel_text(text.value), excel_text(other.value)) for text, other in cells]
    cut = {texts[-2]: "x" * 32_767, texts[-1]: "ab" + EMOJI * 16_382}  # 32,767 UTF-16 units
    assert read == [(cut.get(t, t) or None, o) for t, o in pairs]
    assert {c.data_type for row in cells for c in row if c.value is not None} == {"s"}
    assert book["answers"].freeze_panes == "A2" and book["codebook"].freeze_panes is None
    with zipfile.ZipFile(path) as workbook:
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))
    spaced = [t for t in sheet.iter(f"{{{MAIN}}}t") if t.text != t.text.strip(" \t\n")]
    assert len(spaced) == 4 and all(t.get(XML_SPACE) == "preserve" for t in spaced)


def test_xlsx_numbers_and_datetimes_are_typed(tmp_path):
    summer = timezone(timedelta(hours=2))
    moment = datetime(2025, 3, 30, 3, 59, 58, 123_000, tzinfo=summer)
    rows = [row_of(1, count=0, when=moment), row_of(2, count=12.0), row_of(3, count="12 år"),
            row_of(4, count=float("nan")), row_of(5, count=-7)]  # fmt: skip
    sheet = openpyxl.load_workbook(write_workbook(tmp_path, small_layout(), rows))["answers"]
    counts = [sheet.cell(n, 4) for n in range(2, 7)]
    assert [(c.value, c.data_type) for c in counts] == [
        (0, "n"), (12, "n"), ("12 år", "s"), ("nan", "s"), (-7, "n")]  # fmt: skip
    when = sheet.cell(2, 5)
    assert when.is_date and when.number_format == "yyyy-mm-dd hh:mm:ss"
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    assert abs(when.value - utc) < timedelta(milliseconds=1)
    assert sheet.cell(3, 5).value is None


def test_xlsx_parts_are_well_formed_listed_and_linked(tmp_path):
    layout = small_layout("a&b<c>")
    path = write_workbook(tmp_path, layout, [row_of(1, TRICKY_TEXTS[1])])
    with zipfile.ZipFile(path) as book:
        parts = {name: ElementTree.fromstring(book.read(name)) for name in book.namelist()}
    types = parts.pop("[Content_Types].xml")
    overrides = {e.get("PartName") for e in types if e.tag.endswith("Override")}
    defaults = {e.get("Extension") for e in types if e.tag.endswith("Default")}
    assert overrides <= {f"/{name}" for name in parts}
    assert all(f"/{n}" in overrides for n in parts if not n.endswith(".rels"))
    assert defaults == {"rels", "xml"}
    stray = [
        e.tag
        for part in [types, *parts.values()]
        for e in part.iter()
        if not e.tag.endswith(("}t", "}v")) and (e.text or "").strip() + (e.tail or "").strip()
    ]
    assert stray == []  # text only in a cell's text or value, nowhere between the elements
    links = parts["xl/_rels/workbook.xml.rels"]
    assert [(r.get("Id"), r.get("Type").rsplit("/", 1)[1]) for r in links] == [
        ("rId1", "worksheet"), ("rId2", "worksheet"), ("rId3", "worksheet"), ("rId4", "styles"),
    ]  # fmt: skip
    targets = {r.get("Target") for r in links}
    sheets = {n for n in parts if n.startswith("xl/worksheets/")}
    assert {f"xl/{t}" for t in targets} == sheets | {"xl/styles.xml"} and len(sheets) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["a&b<c>", "codebook", "values"]


def test_xlsx_refuses_more_rows_or_columns_than_a_sheet_holds(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_format, "MAX_ROWS", 3)  # a header and two rows
    writer = XlsxFormat(tmp_path, small_layout())
    writer.write("answers", row_of(1))
    writer.write("answers", row_of(2))
    with pytest.raises(ValueError, match="more rows"):
        writer.write("answers", row_of(3))
    wide = [Column(f"c{n}", STRING) for n in range(16_385)]
    with pytest.raises(ValueError, match="more columns"):
        XlsxFormat(tmp_path, Layout("kompass", [1], [Table("wide", ("c0",), wide)], LANGUAGES))
    fits = Layout("kompass", [1], [Table("wide", ("c0",), wide[:-1])], LANGUAGES)
    assert XlsxFormat(tmp_path, fits).close() == {"wide": "export.xlsx"}


def test_parquet_types_and_labels_come_from_the_layout(answered, tmp_path):
    app, _, _ = answered
    folder = exported(app, "parquet", tmp_path)
    schema = pq.read_schema(folder / "responses.parquet")
    assert schema.field("school_years").type == pa.int64()
    assert schema.field("scripts__arabic").type == pa.int8()
    assert schema.field("submitted_at").type == pa.string()  # a date: no time in pseudonyms
    assert schema.field("devices").type == pa.string()
    assert all(field.nullable for field in schema)
    label = labels(folder)[("responses", "school_years")]
    metadata = schema.field("school_years").metadata
    assert metadata[b"label_nb"].decode() == label["nb"]
    assert metadata[b"label_en"].decode() == label["en"]


@pytest.fixture
def sav_layouts(monkeypatch) -> list[Layout]:
    """The layout of each SPSS export made in the test, as the export gave it to the format."""
    made, start = [], SavFormat.__init__

    def recording(self, folder, layout):
        made.append(layout)
        start(self, folder, layout)

    monkeypatch.setattr(SavFormat, "__init__", recording)
    return made


CODED_TYPES = {"single_choice", "multiple_choice", "yes_no", "country", "language", "scale"}
CHOSEN = {0: "Ikke valgt", 1: "Valgt"}


def ranked_questions() -> set[str]:
    """The questions the Kompass questionnaire's data ranks: scales, and choices from one of its
    ordered_lists."""
    kompass = PROJECT_ROOT / "questionnaires" / "kompass" / "1" / "questionnaire.yaml"
    source = yaml.safe_load(kompass.read_text())
    ordered = set(source["ordered_lists"])
    questions = [q for s in source["sections"] for q in s["questions"]]
    questions += [child for q in questions for child in q.get("questions", [])]
    return {q["id"] for q in questions if q["type"] == "scale" or q.get("options") in ordered}


def measure_of(column: Column, ranked: set[str]) -> str:
    if column.kind in (INTEGER, DATETIME):
        return "scale"
    return "ordinal" if column.variable in ranked and column.kind != BINARY else "nominal"


def test_every_coded_sav_column_is_a_labelled_number_with_its_measure(
    answered, tmp_path, sav_layouts
):
    """Every coded column (choices, countries, languages, code lists, a scale's rows) and every
    0/1 column is numeric with value labels in the first label language; the codes are the
    codebook's; integers are scale, a scale's rows and choices from an ordered list ordinal, the
    rest nominal."""
    app, _, _ = answered
    folder = exported(app, "sav", tmp_path)
    [layout] = sav_layouts
    coded, named = spss_codes(folder), labels_of_values(folder)
    assert {c.question_type for t in layout.tables for c in t.columns if c.values} >= CODED_TYPES
    ranked = ranked_questions()
    assert {"edu_level", "mother_tongue_literacy", "norwegian_level"} <= ranked
    for table in layout.tables:
        _, meta = pyreadstat.read_sav(folder / f"{table.name}.sav", apply_value_formats=False)
        assert meta.variable_measure == {c.name: measure_of(c, ranked) for c in table.columns}
        for column in table.columns:
            found = meta.variable_value_labels.get(column.name)
            if column.kind == BINARY:
                assert found == CHOSEN, column.name
            elif column.values and not column.summary:
                assert meta.readstat_variable_types[column.name] == "double", column.name
                keys = [(table.name, column.name, value) for value, _ in column.values]
                expected = {float(coded[key]): named[key] for key in keys}
                assert found and found.keys() == expected.keys(), column.name
                assert all(label and expected[code].startswith(label)  # cut to 120 bytes
                           for code, label in found.items()), column.name  # fmt: skip
            else:
                assert found is None, column.name
    responses, meta = pyreadstat.read_sav(folder / "responses.sav", apply_value_formats=False)
    assert meta.readstat_variable_types["scripts"] == "string"  # several values: text
    assert meta.variable_value_labels["citizenship"][responses["citizenship"][0]] == "Syria"
    assert (responses["scripts__latin"][0], responses["scripts__arabic"][0]) == (0, 1)
    unanswered = ("devices__none", "norwegian_level__read", "interpreter_used")
    assert all(math.isnan(responses[name][0]) for name in unanswered)
    education, meta = pyreadstat.read_sav(folder / "education.sav", apply_value_formats=False)
    assert meta.column_names_to_labels["edu_name"] == labels(folder)["education", "edu_name"]["nb"]
    assert list(education["edu_level"].fillna(-1)) == [6, -1]  # a value in digits is its number
    assert education["edu_field"][0] == 9  # "09"


NEW_EMPLOYMENT_TYPE = (
    ("questionnaire.yaml", "employment_type: [employee, self_employed, family_business, unpaid]",
     "employment_type: [unpaid, employee, self_employed, family_business, apprentice]"),
    ("translations/en.yaml", '"unpaid": "Unpaid work (for example volunteer work)"',
     '"unpaid": "Unpaid work (for example volunteer work)"\n    "apprentice": "As an apprentice"'),
)  # fmt: skip


def test_a_later_version_keeps_the_codes_of_the_earlier_ones(answered, tmp_path):
    """Version 2 lists the employment types in another order and adds one: exported with
    version 1, version 1's codes stay and the new type comes after them."""
    app, _, _ = answered
    publish_second_version(app, tmp_path, NEW_EMPLOYMENT_TYPE)
    first = exported(app, "sav", tmp_path / "first")
    both = exported(app, "sav", tmp_path / "both", version="all")
    before, after = spss_codes(first), spss_codes(both)
    assert before.items() <= after.items()
    assert set(after.items()) - set(before.items()) == {(("jobs", "job_type", "apprentice"), "5")}
    jobs = [pyreadstat.read_sav(f / "jobs.sav", apply_value_formats=False) for f in (first, both)]
    assert [list(frame["job_type"]) for frame, _ in jobs] == [[1.0], [1.0]]  # employee
    assert [sorted(meta.variable_value_labels["job_type"]) for _, meta in jobs] == [
        [1, 2, 3, 4], [1, 2, 3, 4, 5],
    ]  # fmt: skip
    assert read_sav(both, [{"name": "jobs", "path": "jobs.sav"}])["jobs"][0]["job_type"] == (
        "employee"
    )


def test_sav_codes_are_numbers_in_digits_and_the_rest_in_order_after_them():
    def coded(*values: str) -> dict[str, int]:
        return codes(Column("q", STRING, values=tuple((v, {}) for v in values)))

    assert coded("none", "basic", "good") == {"none": 1, "basic": 2, "good": 3}
    assert coded("0", "8", "6") == {"0": 0, "8": 8, "6": 6}
    assert coded("00", "09", "10") == {"00": 0, "09": 9, "10": 10}
    assert coded("1", "3", "other", "unknown") == {"1": 1, "3": 3, "other": 4, "unknown": 5}
    assert coded("3", "03", "x") == {"3": 1, "03": 2, "x": 3}  # the same number twice
    assert coded("1" * 16, "2") == {"1" * 16: 3, "2": 2}  # too long to be exact
    assert codes(Column("q", STRING, values=(("a", {}),), summary=True)) == {}
    assert codes(Column("q", INTEGER)) == {}


def test_sav_keeps_a_column_coded_in_some_versions_only_as_text(tmp_path):
    level = Column("level", STRING, "level", values=(("6", {"nb": "Bachelor"}),), versions=(1,))
    merged = level.merged(replace(level, values=(), versions=(2,)))  # a text in version 2
    layout = Layout("kompass", [1, 2], [Table("r", (), [merged])], LANGUAGES)
    writer = SavFormat(tmp_path, layout)
    for value in ("6", "a university degree", None):
        writer.write("r", {"level": value})
    writer.close()
    frame, meta = pyreadstat.read_sav(tmp_path / "r.sav", apply_value_formats=False)
    assert list(frame["level"]) == ["6", "a university degree", ""]
    assert (meta.variable_value_labels, meta.variable_measure) == ({}, {"level": "nominal"})


def test_sav_refuses_a_value_outside_the_columns_values(tmp_path):
    column = Column("residence", STRING, values=(("bosatt", {"nb": "Bosatt"}),))
    writer = SavFormat(tmp_path, Layout("kompass", [1], [Table("r", (), [column])], LANGUAGES))
    writer.write("r", {"residence": "elsewhere"})
    with pytest.raises(ValueError, match="residence: 'elsewhere' is none of the column's values"):
        writer.close()


def test_spss_names_that_do_not_fit_are_mapped(tmp_path):
    long = "a" * 70
    names = ["to", "langs__fa-AF", "1st", long, long.upper()]
    columns = [Column(n, STRING, n, {"nb": f"Spørsmål {n}"}) for n in names]
    layout = Layout("kompass", [1], [Table("responses", ("to",), columns)], LANGUAGES)
    writer = SavFormat(tmp_path, layout)
    writer.write("responses", {n: NURSE_TI for n in names})
    writer.close()
    frame, meta = pyreadstat.read_sav(tmp_path / "responses.sav")
    mapped = SavFormat.resources(layout)["responses"]["spssNames"]
    assert set(mapped) == set(names) and len({m.casefold() for m in mapped.values()}) == 5
    assert list(frame.columns) == [mapped[n] for n in names]
    assert all(len(name) <= 64 and name[0].isalpha() for name in frame.columns)
    assert meta.column_names_to_labels[mapped["to"]] == "to: Spørsmål to"
    assert list(frame.iloc[0]) == [NURSE_TI] * 5


def test_sheet_names_fit_excel():
    long = "b" * 40
    tables = [Table(n, ("response_id",), []) for n in ("responses", "values", long, long + "x")]
    tables += [Table(n, ("response_id",), []) for n in ("history", "a:b/c", "")]
    names = sheet_names(Layout("kompass", [1], tables, LANGUAGES))
    assert names["responses"] == "responses"
    assert [names[n] for n in ("values", "history", "a:b/c", "")] == [
        "values_2", "history_2", "a_b_c", "table",
    ]  # fmt: skip
    assert len({n.casefold() for n in names.values()} | {"values", "codebook"}) == 9
    assert all(len(n) <= 31 for n in names.values())


def test_sav_formats_labels_and_cuts_them_to_what_spss_keeps(tmp_path):
    """Numbers as F12.0, labels in Norwegian or else English, long labels cut to SPSS's bytes
    without splitting a character, datetimes as datetimes and an empty text as ""."""
    primary, lower = {"en": "Primary"}, {"nb": "Ungdomsskole", "en": "Lower secondary"}
    columns = [
        Column("years", INTEGER, "years", {"en": "Years"}),
        Column("level", STRING, "level", {"nb": "ø" * 300},
               values=(("1", primary), ("2", lower), ("3", {"nb": "æ" * 100}))),
        Column("at", DATETIME, "", {"nb": "Tid", "en": "Time"}),
        Column("a1b", STRING, "a1b", {"nb": "Tekst"}),
        Column("a-b", STRING, "a-b", {"nb": "Bindestrek"}),
    ]  # fmt: skip
    layout = Layout("kompass", [1], [Table("responses", ("years",), columns)], LANGUAGES)
    writer = SavFormat(tmp_path, layout)
    at = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    writer.write("responses", {"years": 3, "level": "2", "at": at, "a1b": "x", "a-b": None})
    writer.write("responses", {"years": None, "level": "1", "at": None, "a1b": None, "a-b": "y"})
    writer.close()
    frame, meta = pyreadstat.read_sav(tmp_path / "responses.sav")
    assert list(frame.columns) == ["years", "level", "at", "a1b", "a_b"]
    assert meta.original_variable_types == {
        "years": "F12.0", "level": "F12.0", "at": "DATETIME20", "a1b": "A1", "a_b": "A1",
    }  # fmt: skip
    assert meta.column_names_to_labels == {
        "years": "Years", "level": "ø" * 128, "at": "Tid", "a1b": "Tekst", "a_b": "a-b: Bindestrek",
    }  # fmt: skip
    assert meta.variable_value_labels == {"level": {1: "Primary", 2: "Ungdomsskole", 3: "æ" * 60}}
    assert meta.variable_measure == {
        "years": "scale", "level": "nominal", "at": "scale", "a1b": "nominal", "a_b": "nominal",
    }  # fmt: skip
    assert frame["years"][0] == 3.0 and math.isnan(frame["years"][1])
    assert list(frame["level"]) == [2.0, 1.0]
    assert frame["at"][0] == datetime(2025, 1, 2, 3, 4, 5) and frame["at"].isna()[1]
    assert list(frame["a1b"]) == ["x", ""] and list(frame["a_b"]) == ["", "y"]


def test_xlsx_sheet_xml_holds_exactly_the_cells_and_views_written(tmp_path):
    """The XML itself, not what a lenient reader makes of it: one cell per value (none for ""
    or None), integers as integers, the size of each sheet, only the first one selected."""
    noon = datetime(2025, 1, 2, 12, tzinfo=UTC)
    rows = [row_of(1, "plain", "", 5, noon), row_of(2, "a & b", None, 2.5), row_of(3, other="x"),
            row_of(4, "", count=7)]  # fmt: skip
    with zipfile.ZipFile(write_workbook(tmp_path, small_layout(), rows)) as book:
        sheets = [book.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2, 3)]
        packed = {info.compress_type for info in book.infolist()}
    text = '" t="inlineStr"><is><t>{}</t></is></c>'.format
    header = "".join(f'<c r="{c}1{text(n)}' for c, n in zip("ABCDE", small_layout().tables[0]
                     .names(), strict=True))  # fmt: skip
    assert sheets[0].split("<sheetData>")[1] == (
        f'<row r="1">{header}</row>'
        f'<row r="2"><c r="A2"><v>1</v></c><c r="B2{text("plain")}<c r="D2"><v>5</v></c>'
        '<c r="E2" s="1"><v>45659.5</v></c></row>'
        f'<row r="3"><c r="A3"><v>2</v></c><c r="B3{text("a &amp; b")}<c r="D3"><v>2.5</v></c>'
        "</row>"
        f'<row r="4"><c r="A4"><v>3</v></c><c r="C4{text("x")}</row>'
        '<row r="5"><c r="A5"><v>4</v></c><c r="D5"><v>7</v></c></row></sheetData></worksheet>'
    )
    views = [re.search(r"<dimension.*?</sheetViews>", sheet)[0] for sheet in sheets]
    assert ['tabSelected="1"' in view for view in views] == [True, False, False]
    assert ['state="frozen"' in view for view in views] == [True, False, False]
    assert [re.search(r'ref="([^"]+)"', view)[1] for view in views] == ["A1:E5", "A1:H6", "A1:F1"]
    assert packed == {zipfile.ZIP_DEFLATED}


def test_json_lines_nest_entries_one_response_per_line(tmp_path):
    entries = Table("jobs", ("response_id", "entry"), [Column("response_id", INTEGER),
                    Column("title", STRING)], parent="responses")  # fmt: skip
    responses = Table("responses", ("response_id",), [Column("response_id", INTEGER)])
    writer = JsonLinesFormat(tmp_path, Layout("kompass", [1], [responses, entries], LANGUAGES))
    writer.write("responses", {"response_id": 1})
    writer.write("jobs", {"response_id": 1, "title": "Snekker"})
    writer.write("jobs", {"response_id": 1, "title": NURSE_TI})
    writer.write("responses", {"response_id": 2})
    assert writer.close() == {"responses": "responses.jsonl"}
    assert (tmp_path / "responses.jsonl").read_text("utf-8").split("\n") == [
        json.dumps({"response_id": 1, "jobs": [{"title": "Snekker"}, {"title": NURSE_TI}]},
                   separators=(",", ":"), ensure_ascii=False),
        '{"response_id":2,"jobs":[]}',
        "",
    ]  # fmt: skip


def test_parquet_writes_in_batches_and_keeps_every_row(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_format, "BATCH", 2)
    layout = small_layout()
    writer = ParquetFormat(tmp_path, layout)
    for number in range(1, 6):
        writer.write("answers", row_of(number, text=f"t{number}", count=number * 10))
    writer.close()
    table = pq.read_table(tmp_path / "answers.parquet")
    assert table.column("id").to_pylist() == [1, 2, 3, 4, 5]
    assert table.column("count").to_pylist() == [10, 20, 30, 40, 50]
    assert all(field.nullable for field in table.schema)


def test_an_export_says_what_it_wrote_and_reports_each_response(answered, tmp_path):
    app, _, _ = answered
    ticks = []
    summary = run_export(
        app, tmp_path / "out.zip", lambda found: Options(found, "csv"), ticks.append
    )
    assert summary.versions == [1] and summary.rows["responses"] == 1
    assert ticks == [1]


def test_an_export_that_cannot_be_made_says_why(answered, tmp_path):
    app, _, _ = answered
    with pytest.raises(ExportError) as unknown:
        run_export(app, tmp_path / "out.zip", lambda found: Options(found, "pdf"))
    assert str(unknown.value) == "unknown format 'pdf'; use one of " + ", ".join(FORMATS)
    with pytest.raises(ExportError) as nothing:
        run_export(
            app, tmp_path / "out.zip", lambda found: Options(replace(found, version_ids={}), "csv")
        )
    assert str(nothing.value) == "no published version to export"
    with pytest.raises(TooFewToExport) as rare:
        run_export(app, tmp_path / "out.zip", lambda found: Options(found, "csv", min_group=2))
    assert str(rare.value).startswith("fewer than 2 responses share some combination of ")
