"""What the person registry adds to exports: where each person lives (never who they are,
unless an identifiable export was asked for), and the filter by municipality."""

from functools import cache
from typing import ClassVar

from sqlalchemy import ColumnElement, Integer, String, and_, case, cast, extract, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from auth.people import municipalities
from auth.people.models import SUBJECT_PREFIX, Person
from engine.export.filters import SubjectFilter
from engine.export.joins import SubjectJoin
from engine.export.layout import STRING, Column
from engine.responses.storage import Response

MUNICIPALITY = "municipality"
DIGITS = "0123456789"
MAX_ID_DIGITS = 9  # below 2**31, so the number fits the id's integer type


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


def joins(identifiable: bool) -> list[SubjectJoin]:
    """The columns' values in SQL: each response's person (by the id in its subject), its
    municipality's county from the shipped list, the year settled as text."""
    found = {
        MUNICIPALITY: Person.municipality,
        "county": _county(),
        "residence": Person.residence,
        "settled_year": cast(cast(extract("year", Person.settled_on), Integer), String),
    }
    if identifiable:
        found["duf"] = Person.duf
    return [SubjectJoin(Person.__table__, Person.id == person_id(Response.subject), found)]


def person_id(subject: ColumnElement[str]) -> ColumnElement[int]:
    """The person id in a subject `person:<id>` (none for any other subject), in SQL that
    compares as an integer, so the database finds the person by its primary key."""
    number = func.substr(subject, len(SUBJECT_PREFIX) + 1)
    is_person = and_(
        subject.startswith(SUBJECT_PREFIX, autoescape=True),
        func.length(number).between(1, MAX_ID_DIGITS),
        func.substr(number, 1, 1) != "0",
        func.ltrim(number, DIGITS) == "",
    )
    return case((is_person, cast(number, Integer)))


def _county() -> ColumnElement[str]:
    return CountyOf(Person.municipality)


class CountyOf(ColumnElement[str]):
    """The county of a municipality number, as SQL: a CASE of every municipality in the shipped
    list. Its own construct, so that SQLAlchemy's cache key of a query is the column alone: as
    a plain CASE its 700 values were walked for every statement, a fifth of the time an OData
    page spends outside its rows."""

    inherit_cache = True
    type = String()
    _traverse_internals: ClassVar = [("municipality", InternalTraversal.dp_clauseelement)]

    def __init__(self, municipality: ColumnElement[str]):
        self.municipality = municipality


@compiles(CountyOf)
def _render_county(element: CountyOf, compiler, **kw) -> str:
    """The CASE with its values written into the SQL (as the statement is compiled once and
    kept, its values must not be parameters the cache key does not know)."""
    return compiler.process(_case(element.municipality), **{**kw, "literal_binds": True})


@cache
def _counties() -> dict[str, str]:
    return {m.number: m.county for m in municipalities.all_municipalities().values()}


def _case(municipality: ColumnElement[str]) -> ColumnElement[str]:
    return case(_counties(), value=municipality)


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
