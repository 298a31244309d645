"""Demo persons, each with a fresh code."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.code_login import codes
from auth.code_login.cli import validity
from auth.code_login.models import Person

DEMO_DUF_NUMBERS = ["202000000000", "202100000017", "201900000123"]


def load(session: Session) -> dict:
    persons = []
    for number in DEMO_DUF_NUMBERS:
        person = session.scalars(select(Person).where(Person.duf == number)).first()
        if person is None:
            person = Person(duf=number)
            session.add(person)
        cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
        persons.append(
            {"duf": number, "code": codes.create(session, person, validity(), cost).code}
        )
    return {"persons": persons}
