"""Login codes: made with a CSPRNG, shown once, stored only as an argon2id hash."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from auth.code_login import respondent_session
from auth.code_login.models import LoginCode
from auth.people.models import Person
from engine.db import utcnow

# No 0/O and no 1/I, so a code read aloud or from paper cannot be mistyped that way.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 6
_HASHERS = {"normal": PasswordHasher(), "fast": PasswordHasher(time_cost=1, memory_cost=1024)}


@dataclass(frozen=True)
class NewCode:
    code: str
    record: LoginCode


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """Codes are typed case-insensitively, with or without spaces and dashes."""
    return "".join(typed.split()).replace("-", "").upper()


def mask(code: str) -> str:
    return code[:1] + "•" * (len(code) - 2) + code[-1:]


def create(session: Session, person: Person, validity: timedelta, cost: str = "normal") -> NewCode:
    """A fresh code for `person`; earlier open codes are closed as replaced, sessions ended."""
    now = utcnow()
    for old in person.codes:
        if old.closed_reason is None:
            old.closed_reason, old.closed_at = "replaced", now
    respondent_session.end_all(session, person)
    code = generate()
    record = LoginCode(
        person=person,
        code_hash=_HASHERS[cost].hash(code),
        masked=mask(code),
        valid_from=now,
        valid_to=now + validity,
    )
    session.add(record)
    session.commit()
    return NewCode(code, record)


def open_code(person: Person, now: datetime) -> LoginCode | None:
    """The person's one code that is neither replaced, closed nor expired."""
    return next((c for c in reversed(person.codes) if c.status(now) == "valid"), None)


def matches(record: LoginCode | None, typed: str, cost: str = "normal") -> bool:
    """Checks one hash; without a record, a dummy one, so every attempt takes the same time."""
    code_hash = record.code_hash if record else _dummy_hash(cost)
    try:
        return _HASHERS[cost].verify(code_hash, normalise(typed)) and record is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(cost: str) -> str:
    """A hash made once per process with the same parameters as real codes."""
    return _HASHERS[cost].hash(generate())


def close_all(person: Person, reason: str) -> None:
    now = utcnow()
    for record in person.codes:
        if record.closed_reason is None:
            record.closed_reason, record.closed_at = reason, now
