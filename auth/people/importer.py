"""`kompass persons import`: load persons from CSV, reporting every bad row by line number."""

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.code_login import duf
from auth.people import municipalities
from auth.people.models import BOSATT, GENDERS, MOTTAK, RESIDENCES, Person, ReceptionCentre
from engine import cldr

COLUMNS = (
    "duf", "first_name", "last_name", "birth_date", "gender", "citizenship",
    "municipality", "residence", "reception_centre", "settled_on",
)  # fmt: skip


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


class RowError(ValueError):
    """One row cannot be imported; the message says why."""


def import_file(session: Session, path: Path, skip_invalid: bool) -> ImportReport:
    """Import every row; with errors nothing changes unless `skip_invalid`."""
    report = ImportReport()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            report.problems.append((1, f"missing columns: {', '.join(missing)}"))
            return report
        seen: set[str] = set()
        for row in reader:
            try:
                _import_row(session, row, seen, report)
            except RowError as exc:
                report.problems.append((reader.line_num, str(exc)))
    if report.problems and not skip_invalid:
        session.rollback()
        report.imported = report.updated = 0
    else:
        session.commit()
    return report


def _import_row(session: Session, row: dict, seen: set[str], report: ImportReport) -> None:
    values = parse_row(row)
    if values["duf"] in seen:
        raise RowError(f"DUF number {values['duf']} appears twice in the file")
    seen.add(values["duf"])
    centre_name = values.pop("reception_centre")
    if centre_name:
        values["reception_centre"] = _centre(session, centre_name, values["municipality"])
    person = session.scalars(select(Person).where(Person.duf == values["duf"])).first()
    if person is None:
        session.add(Person(**values))
        report.imported += 1
    else:
        for key, value in values.items():
            setattr(person, key, value)
        report.updated += 1
    session.flush()


def parse_row(row: dict) -> dict:
    """Check one row; raise RowError naming the first problem."""
    text = {key: (row.get(key) or "").strip() for key in COLUMNS}
    try:
        number = duf.normalise(text["duf"])
    except duf.InvalidDuf as exc:
        raise RowError(f"'{text['duf']}' is not a DUF number (12 digits)") from exc
    if not text["first_name"] and not text["last_name"]:
        raise RowError("a name is needed (first_name or last_name)")
    if text["gender"] and text["gender"] not in GENDERS:
        raise RowError(f"gender must be one of {', '.join(GENDERS)}, not '{text['gender']}'")
    if text["citizenship"] and text["citizenship"] not in cldr.country_codes():
        raise RowError(f"citizenship '{text['citizenship']}' is not a country code like SY")
    if municipalities.find(text["municipality"]) is None:
        raise RowError(f"municipality '{text['municipality']}' is not a municipality number")
    if text["residence"] not in RESIDENCES:
        raise RowError(f"residence must be {MOTTAK} or {BOSATT}, not '{text['residence']}'")
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
        raise RowError(f"{column} '{text}' is not a date like 2001-12-31") from exc


def _centre(session: Session, name: str, municipality: str) -> ReceptionCentre:
    centre = session.scalars(select(ReceptionCentre).where(ReceptionCentre.name == name)).first()
    if centre is None:
        centre = ReceptionCentre(name=name, municipality=municipality)
        session.add(centre)
    elif centre.municipality != municipality:
        raise RowError(f"reception centre '{name}' lies in municipality {centre.municipality}")
    return centre
