"""Looking up persons for a staff user: 'not found' and 'not yours' are the same answer."""

from sqlalchemy import select

from auth.people.models import Person
from auth.staff import access
from auth.staff.models import User
from engine.context import db_session


def visible_person(user: User, person_id: int) -> Person | None:
    person = db_session().get(Person, person_id)
    return person if person is not None and access.can_see_person(user, person) else None


def find_by_duf(user: User, number: str) -> Person | None:
    person = db_session().scalars(select(Person).where(Person.duf == number)).first()
    return person if person is not None and access.can_see_person(user, person) else None
