"""What travels with every export: the codebook, a Frictionless data package, the change list."""

import json
from pathlib import Path

from engine.export.codebook_rows import (
    codebook_header,
    codebook_rows,
    value_rows,
    values_header,
)
from engine.export.csvsafe import SafeWriter
from engine.export.formats import FORMATS
from engine.export.layout import BINARY, DATETIME, INTEGER, Layout, Table

FRICTIONLESS_TYPES = {INTEGER: "integer", BINARY: "integer", DATETIME: "datetime"}
CODEBOOK = "codebook.csv"
VALUES = "codebook_values.csv"
DATAPACKAGE = "datapackage.json"
CHANGES = "changes.json"


def write_codebook(folder: Path, layout: Layout) -> list[str]:
    """codebook.csv (a row per column) and codebook_values.csv (a row per allowed value)."""
    for file, header, rows in (
        (CODEBOOK, codebook_header(layout), codebook_rows(layout)),
        (VALUES, values_header(layout), value_rows(layout)),
    ):
        with (folder / file).open("w", encoding="utf-8", newline="") as handle:
            writer = SafeWriter(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
    return [CODEBOOK, VALUES]


def write_datapackage(folder: Path, layout: Layout, files: dict[str, str], fmt: str) -> str:
    """A Frictionless (tabular) data package: table schemas and the keys between tables."""
    details = _format_details(fmt, layout)
    package = {
        "profile": "tabular-data-package" if fmt == "csv" else "data-package",
        "name": f"{layout.questionnaire_id}-export",
        "title": f"{layout.questionnaire_id}, versions {', '.join(map(str, layout.versions))}",
        "resources": [
            _resource(t, files, fmt, layout.languages) | details.get(t.name, {})
            for t in layout.tables
            if t.name in files
        ],
    }
    (folder / DATAPACKAGE).write_text(json.dumps(package, ensure_ascii=False, indent=2), "utf-8")
    return DATAPACKAGE


def _format_details(fmt: str, layout: Layout) -> dict[str, dict]:
    """What the format adds to each table's resource, e.g. the sheet of a workbook."""
    resources = getattr(FORMATS[fmt], "resources", None)
    return resources(layout) if resources else {}


def _resource(table: Table, files: dict[str, str], fmt: str, languages: tuple[str, ...]) -> dict:
    fields = [_field(c, languages) for c in table.columns]
    schema = {"fields": fields, "primaryKey": list(table.key)}
    if table.parent is not None:
        schema["foreignKeys"] = [{
            "fields": ["response_id"],
            "reference": {"resource": table.parent, "fields": ["response_id"]},
        }]  # fmt: skip
    resource = {"name": table.name, "path": files[table.name], "format": fmt, "schema": schema}
    if fmt == "csv":
        resource.update(profile="tabular-data-resource", encoding="utf-8")
    return resource


def _field(column, languages: tuple[str, ...]) -> dict:
    """The title is the label in the last label language and the description the label in the
    first: with the default setting an English title and a description in the main language."""
    field = {
        "name": column.name,
        "type": FRICTIONLESS_TYPES.get(column.kind, "string"),
        "title": column.label.get(languages[-1], column.name),
        "description": column.label.get(languages[0], ""),
    }
    if column.values and column.kind != BINARY and not column.summary:
        typed = int if column.kind == INTEGER else str  # a type's number column with labels
        field["constraints"] = {"enum": [typed(value) for value, _ in column.values]}
    if column.kind == BINARY:
        field["constraints"] = {"enum": [0, 1]}
    return field


def write_changes(folder: Path, changes: list[dict]) -> str:
    (folder / CHANGES).write_text(json.dumps(changes, ensure_ascii=False, indent=2), "utf-8")
    return CHANGES
