"""Demo reception centres and persons, settled and in reception centres, in two municipalities."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.people.models import BOSATT, MOTTAK, Person, ReceptionCentre

CENTRES = {"Fjordheim mottak": "4601", "Sentrum mottak": "0301"}
PERSONS = [
    ("202000000000", "Navn", "Navnesen", date(2005, 1, 15), "kvinne", "SY", "4601", BOSATT, None),
    ("202100000017", "Amanuel", "Tesfay", date(1994, 6, 2), "mann", "ER", "4601", MOTTAK,
     "Fjordheim mottak"),
    ("201900000123", "Layla", "Ahmadi", date(1988, 11, 30), "kvinne", "AF", "0301", BOSATT, None),
    ("202200000045", "Hodan", "Warsame", date(1999, 3, 9), "kvinne", "SO", "0301", MOTTAK,
     "Sentrum mottak"),
]  # fmt: skip
DEMO_DUF_NUMBERS = [row[0] for row in PERSONS]


def load(session: Session) -> dict:
    centres = {name: _centre(session, name, number) for name, number in CENTRES.items()}
    persons = {}
    for duf, first, last, born, gender, country, municipality, residence, centre in PERSONS:
        person = session.scalars(select(Person).where(Person.duf == duf)).first() or Person(duf=duf)
        person.first_name, person.last_name, person.birth_date = first, last, born
        person.gender, person.citizenship, person.municipality = gender, country, municipality
        person.residence = residence
        person.reception_centre = centres[centre] if centre else None
        person.settled_on = date(2025, 10, 1) if residence == BOSATT else None
        session.add(person)
        persons[duf] = {"duf": duf, "municipality": municipality, "residence": residence}
    session.commit()
    return {"persons": persons}


def _centre(session: Session, name: str, municipality: str) -> ReceptionCentre:
    query = select(ReceptionCentre).where(ReceptionCentre.name == name)
    return session.scalars(query).first() or ReceptionCentre(name=name, municipality=municipality)
