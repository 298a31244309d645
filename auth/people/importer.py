"""`kompass persons import`: load persons from CSV, reporting every bad row by line number.

The whole file is checked first (against the persons and reception centres already known, read
in one query each); then it is written in batches of short transactions with bulk statements,
so other requests (log-ins, respondents' saves) wait at most one batch, even on SQLite.
No problem message repeats a DUF number or a name, and a database error is reported by kind.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from auth.people import duf, municipalities
from auth.people.models import BOSATT, GENDERS, MOTTAK, RESIDENCES, Person, ReceptionCentre
from engine.definition import cldr

COLUMNS = (
    "duf", "first_name", "last_name", "birth_date", "gender", "citizenship",
    "municipality", "residence", "reception_centre", "settled_on",
)  # fmt: skip
LONGEST = {"first_name": 200, "last_name": 200, "reception_centre": 200}  # the column sizes
BATCH = 1000
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    unreadable: bool = False  # the file as a whole could not be read; nothing was imported
    refused: bool = False  # the database refused a batch; the batches before it are kept


class RowError(ValueError):
    """One row cannot be imported; the message says why (never with personal data)."""


class FileError(ValueError):
    """The file as a whole cannot be read; `line` is where reading stopped."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class Known:
    """What the database holds already: person id by DUF number, centres by name."""

    persons: dict[str, int]
    centres: dict[str, tuple[int | None, str]]


def import_file(session: Session, path: Path, skip_invalid: bool) -> ImportReport:
    """Import every row; with errors nothing changes unless `skip_invalid`."""
    report = ImportReport()
    known = _known(session)
    try:
        rows = _checked_rows(_read_rows(path), known, report)
    except FileError as exc:
        report.problems.append((exc.line, str(exc)))
        report.unreadable = True
        return report
    if report.problems and not skip_invalid:
        return report
    _write(session, rows, known, report)
    return report


def _known(session: Session) -> Known:
    persons = dict(session.execute(select(Person.duf, Person.id)).all())
    centres = {
        name: (centre_id, municipality)
        for centre_id, name, municipality in session.execute(
            select(ReceptionCentre.id, ReceptionCentre.name, ReceptionCentre.municipality)
        )
    }
    session.rollback()
    return Known(persons, centres)


def _read_rows(path: Path) -> list[tuple[int, dict]]:
    """(line, row) of every row of a UTF-8 or UTF-16 (with BOM) CSV file with our header."""
    reader = csv.reader(io.StringIO(_decoded(path), newline=""))
    try:
        header = next(reader, [])
        _check_header(header)
        return [(reader.line_num, dict(zip(header, row, strict=False))) for row in reader if row]
    except csv.Error as exc:
        raise FileError(reader.line_num, f"the line cannot be read as CSV ({exc})") from exc


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    encoding = "utf-16" if data.startswith(UTF16_BOMS) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise FileError(
            line,
            f"the file is not {encoding.upper().removesuffix('-SIG')} text here "
            "(save it as CSV UTF-8 in the spreadsheet program)",
        ) from exc


def _check_header(header: list[str]) -> None:
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise FileError(1, f"the header has these columns more than once: {', '.join(twice)}")
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise FileError(1, f"missing columns: {', '.join(missing)}")


def _checked_rows(rows, known: Known, report: ImportReport) -> list[tuple[int, dict]]:
    """The good rows, each checked alone and against the others; every problem reported."""
    good, first_line, centres = [], {}, dict(known.centres)
    for line, row in rows:
        try:
            values = parse_row(row)
            _check_unique(values["duf"], line, first_line)
            _check_centre(values, centres)
        except RowError as exc:
            report.problems.append((line, str(exc)))
            continue
        good.append((line, values))
    return good


def _check_unique(number: str, line: int, first_line: dict[str, int]) -> None:
    if number in first_line:
        first = first_line[number]
        raise RowError(f"the DUF number appears twice in the file (first on line {first})")
    first_line[number] = line


def _check_centre(values: dict, centres: dict[str, tuple[int | None, str]]) -> None:
    """A reception centre lies in one municipality: as known, or as first named in the file."""
    name = values["reception_centre"]
    if not name:
        return
    _, municipality = centres.setdefault(name, (None, values["municipality"]))
    if municipality != values["municipality"]:
        raise RowError(f"this reception centre lies in municipality {municipality}")


def _write(session: Session, rows: list[tuple[int, dict]], known: Known, report) -> None:
    """Write the rows in batches, each its own transaction; a database error stops the import."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        try:
            _write_batch(session, [values for _, values in batch], known, report)
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            kind = type(getattr(exc, "orig", None) or exc).__name__
            lines = f"lines {batch[0][0]}–{batch[-1][0]}"
            report.problems.append((batch[0][0], f"the database refused {lines} ({kind})"))
            report.refused = True
            return


def _write_batch(session: Session, batch: list[dict], known: Known, report) -> None:
    _add_centres(session, batch, known)
    new, changed = [], []
    for values in batch:
        row = _person_row(values, known)
        person_id = known.persons.get(values["duf"])
        if person_id is None:
            new.append(row)
        else:
            changed.append(row | {"id": person_id})
    if new:
        session.execute(insert(Person.__table__), new)  # Core: one multi-row statement
    if changed:
        session.execute(update(Person), changed)
    report.imported += len(new)
    report.updated += len(changed)


def _add_centres(session: Session, batch: list[dict], known: Known) -> None:
    """Insert the batch's new reception centres, learning their ids."""
    names = {v["reception_centre"]: v["municipality"] for v in batch if v["reception_centre"]}
    new = [
        {"name": name, "municipality": municipality}
        for name, municipality in names.items()
        if known.centres.get(name, (None,))[0] is None
    ]
    if not new:
        return
    ids = session.execute(
        insert(ReceptionCentre).returning(ReceptionCentre.id, ReceptionCentre.name), new
    )
    for centre_id, name in ids:
        known.centres[name] = (centre_id, names[name])


def _person_row(values: dict, known: Known) -> dict:
    row = {key: value for key, value in values.items() if key != "reception_centre"}
    centre = values["reception_centre"]
    row["reception_centre_id"] = known.centres[centre][0] if centre else None
    return row


def parse_row(row: dict) -> dict:
    """Check one row; raise RowError naming the first problem."""
    text = {key: (row.get(key) or "").strip() for key in COLUMNS}
    try:
        number = duf.normalise(text["duf"])
    except duf.InvalidDuf as exc:
        raise RowError("duf is not a DUF number (12 digits 0–9, the first four a year)") from exc
    if not text["first_name"] and not text["last_name"]:
        raise RowError("a name is needed (first_name or last_name)")
    for column, longest in LONGEST.items():
        if len(text[column]) > longest:
            raise RowError(f"{column} is longer than {longest} characters")
    if text["gender"] and text["gender"] not in GENDERS:
        raise RowError(f"gender must be one of {', '.join(GENDERS)}")
    if text["citizenship"] and text["citizenship"] not in cldr.country_codes():
        raise RowError("citizenship is not a country code like SY")
    if municipalities.find(text["municipality"]) is None:
        raise RowError("municipality is not a municipality number")
    if text["residence"] not in RESIDENCES:
        raise RowError(f"residence must be {MOTTAK} or {BOSATT}")
    if text["residence"] == MOTTAK and not text["reception_centre"]:
        raise RowError("a person living in a reception centre (mottak) needs reception_centre")
    if text["residence"] == BOSATT and not text["settled_on"]:
        raise RowError("a settled person (bosatt) needs settled_on (YYYY-MM-DD)")
    return {
        "duf": number,
        "first_name": text["first_name"],
        "last_name": text["last_name"],
        "birth_date": _date(text["birth_date"], "birth_date"),
        "gender": text["gender"] or None,
        "citizenship": text["citizenship"] or None,
        "municipality": text["municipality"],
        "residence": text["residence"],
        "reception_centre": text["reception_centre"] if text["residence"] == MOTTAK else "",
        "settled_on": _date(text["settled_on"], "settled_on")
        if text["residence"] == BOSATT
        else None,
    }


def _date(text: str, column: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise RowError(f"{column} is not a date like 2001-12-31") from exc
