"""What the person registry adds to exports: where each person lives (never who they are,
unless an identifiable export was asked for), and the filter by municipality."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from auth.people import municipalities
from auth.people.models import SUBJECT_PREFIX, Person
from engine.export.filters import SubjectFilter
from engine.export.layout import STRING, Column
from engine.responses.storage import Response

MUNICIPALITY = "municipality"


def N_(text: str) -> str:
    """Marks a text for the staff catalogue; the staff UI translates it where it shows it."""
    return text


def columns(identifiable: bool) -> list[Column]:
    found = [
        Column(MUNICIPALITY, STRING, label={"nb": "Kommune", "en": "Municipality"},
               linkable=True),
        Column("county", STRING, label={"nb": "Fylke", "en": "County"}, linkable=True),
        Column("residence", STRING, label={"nb": "Bosatt/mottak", "en": "Settled/reception"},
               values=(("bosatt", {"nb": "Bosatt", "en": "Settled"}),
                       ("mottak", {"nb": "Mottak", "en": "Reception centre"}))),
        Column("settled_year", STRING, label={"nb": "Bosettingsår", "en": "Year settled"}),
    ]  # fmt: skip
    if identifiable:
        found.append(Column("duf", STRING, label={"nb": "DUF-nummer", "en": "DUF number"}))
    return found


def values(session: Session, subjects: list[str], identifiable: bool) -> dict[str, dict]:
    ids = [int(s[len(SUBJECT_PREFIX) :]) for s in subjects if _is_person(s)]
    persons = session.scalars(select(Person).where(Person.id.in_(ids))) if ids else []
    return {person.subject: _values(person, identifiable) for person in persons}


def _is_person(subject: str) -> bool:
    return subject.startswith(SUBJECT_PREFIX) and subject[len(SUBJECT_PREFIX) :].isdecimal()


def _values(person: Person, identifiable: bool) -> dict:
    municipality = municipalities.find(person.municipality)
    found = {
        "municipality": person.municipality,
        "county": municipality.county if municipality else None,
        "residence": person.residence,
        "settled_year": str(person.settled_on.year) if person.settled_on else None,
    }
    if identifiable:
        found["duf"] = person.duf
    return found


def filters() -> list[SubjectFilter]:
    """Exports of the persons registered in one municipality."""
    return [SubjectFilter(
        MUNICIPALITY, help="A municipality number, e.g. 4601.", label=N_("Municipality"),
        everything=N_("All municipalities"), refused=N_("Choose a municipality from the list."),
        choices=_municipality_choices, where=_lives_in,
    )]  # fmt: skip


def _municipality_choices() -> list[tuple[str, str]]:
    """Every municipality by name, as staff know it: ("4601", "Bergen (4601)")."""
    found = sorted(municipalities.all_municipalities().values(), key=lambda m: m.name)
    return [(m.number, m.label) for m in found]


def _lives_in(number: str) -> ColumnElement[bool]:
    """The responses of persons registered in the municipality `number`."""
    return Response.subject.in_(select(Person.subject).where(Person.municipality == number))
