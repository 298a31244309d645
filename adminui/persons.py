"""Looking up persons for a staff user: 'not found' and 'not yours' are the same answer."""

from datetime import date

from auth.people import municipalities
from auth.people.models import Person
from auth.staff import access
from auth.staff.models import User
from engine.app.context import db_session


def visible_person(user: User, person_id: int) -> Person | None:
    query = access.visible_persons(user).where(Person.id == person_id)
    return db_session().scalars(query).first()


def find_by_duf(user: User, number: str) -> Person | None:
    return db_session().scalars(access.visible_persons(user).where(Person.duf == number)).first()


def person_summary(person: Person) -> dict:
    """Navn, Nasjonalitet, Alder, Kjønn, Kommune, as on the search result."""
    return {
        "name": person.full_name,
        "citizenship": person.citizenship,
        "age": person.age(date.today()),
        "gender": person.gender,
        "municipality": municipalities.find(person.municipality),
        "residence": person.residence,
        "centre": person.reception_centre.name if person.reception_centre else None,
    }
