"""Seed a load database through the app's own functions: persons (the CSV import), a code for
each respondent, and staff users who search for the staff persons and make their codes.

Respondents and staff work on separate persons: a staff code replaces the person's code.
"""

import tempfile
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from auth.code_login import codes
from auth.people import importer
from auth.people.models import Person
from auth.staff import passwords
from auth.staff.models import User, UserRole
from bench import mappings
from engine.export.csvsafe import SafeWriter
from engine.questionnaire import schema

MUNICIPALITY = "4601"
STAFF_PASSWORD = "load test staff password 1"
RESPONDENT_PREFIX, STAFF_PERSON_PREFIX = "2020", "2021"
COLUMNS = ["duf", "first_name", "last_name", "birth_date", "gender", "citizenship",
           "municipality", "residence", "reception_centre", "settled_on"]  # fmt: skip


@dataclass
class Seeded:
    respondents: list[dict] = field(default_factory=list)  # {"duf": ..., "code": ...}
    staff: list[dict] = field(default_factory=list)  # {"username": ..., "password": ...}
    staff_persons: list[str] = field(default_factory=list)  # DUF numbers
    mapped_persons: list[int] = field(default_factory=list)  # ids: a maximum-size mapping each

    def as_dict(self) -> dict:
        return asdict(self)


def seed(app, batch: int, respondents: int, staff: int, staff_persons: int, cost: str) -> Seeded:
    """New persons with fresh codes and staff users for one batch (a run or step of a run);
    `cost` is the argon2 cost of their hashes."""
    seeded = Seeded(
        staff_persons=[_duf(STAFF_PERSON_PREFIX, batch, i) for i in range(staff_persons)]
    )
    respondent_dufs = [_duf(RESPONDENT_PREFIX, batch, i) for i in range(respondents)]
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        _import(session, respondent_dufs + seeded.staff_persons)
        people = session.scalars(select(Person).where(Person.duf.in_(respondent_dufs))).all()
        for person in people:
            new = codes.create(session, person, timedelta(days=1), cost)
            seeded.respondents.append({"duf": person.duf, "code": new.code})
        for index in range(staff):
            username = f"load-staff-{batch}-{index}"
            session.add(_staff_user(username, cost))
            seeded.staff.append({"username": username, "password": STAFF_PASSWORD})
        session.commit()
    return seeded


def map_maximum(app, dufs: list[str]) -> list[int]:
    """A submitted maximum-size mapping (bench/mappings.py) for each person; their ids."""
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        people = session.scalars(select(Person).where(Person.duf.in_(dufs))).all()
        answers = mappings.maximum(schema.build(state.registry.active(session)))
        for person in people:
            mappings.store(session, state.registry, person.subject, "ar", answers)
        return [person.id for person in people]


def _duf(prefix: str, batch: int, index: int) -> str:
    return f"{prefix}{batch:02d}{index:06d}"


def _import(session, dufs: list[str]) -> None:
    """The persons, settled in one municipality, through `kompass persons import`'s code."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = SafeWriter(file)
            writer.writerow(COLUMNS)
            for duf in dufs:
                writer.writerow(
                    [duf, "Load", "Test", "", "", "", MUNICIPALITY, "bosatt", "", "2025-01-01"]
                )
        report = importer.import_file(session, path, skip_invalid=False)
    if report.problems:
        raise RuntimeError(f"seeding failed: {report.problems[:3]}")


def _staff_user(username: str, cost: str) -> User:
    return User(
        username=username, first_name="Load", last_name="Test", municipality=MUNICIPALITY,
        active=True, must_change_password=False,
        password_hash=passwords.hash_password(STAFF_PASSWORD, cost),
        role_rows=[UserRole(role="bosetting")],
    )  # fmt: skip
