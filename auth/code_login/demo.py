"""A fresh code for each demo person (the registry's demo runs first)."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.code_login import codes
from auth.code_login.cli import validity
from auth.people.demo import DEMO_DUF_NUMBERS
from auth.people.models import Person


def load(session: Session) -> dict:
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    persons = {}
    for person in session.scalars(select(Person).where(Person.duf.in_(DEMO_DUF_NUMBERS))):
        persons[person.duf] = {"code": codes.create(session, person, validity(), cost).code}
    return {"persons": persons}
