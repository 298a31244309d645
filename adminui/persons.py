"""Looking up persons for a staff user: 'not found' and 'not yours' are the same answer."""

from auth.people.models import Person
from auth.staff import access
from auth.staff.models import User
from engine.context import db_session


def visible_person(user: User, person_id: int) -> Person | None:
    query = access.visible_persons(user).where(Person.id == person_id)
    return db_session().scalars(query).first()


def find_by_duf(user: User, number: str) -> Person | None:
    return db_session().scalars(access.visible_persons(user).where(Person.duf == number)).first()
