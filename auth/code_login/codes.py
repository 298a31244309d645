"""Login codes: made with a CSPRNG, shown once, stored only as a keyed argon2id hash.

The code is first keyed with the app's secret (HMAC-SHA256: a "pepper" that is not in the
database), then hashed with argon2id at a low cost. Why that cost is enough, and why hashes
run a few at a time: docs/security.md. Hashes made before the pepper carry no prefix and the
old parameters; they still verify and are rehashed when they match.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy.orm import Session

from auth.code_login import respondent_session
from auth.code_login.bounded_hashing import BoundedHasher
from auth.code_login.models import LoginCode
from auth.people.models import Person
from engine.app.context import kompass
from engine.app.db import utcnow

# No 0/O and no 1/I, so a code read aloud or from paper cannot be mistyped that way.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 6
PEPPERED = "hmac-sha256:"
# "normal": 8 MiB, one pass, one lane (about 4 ms of CPU); "fast" is for tests and demos.
_HASHERS = {
    "normal": BoundedHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),
    "fast": BoundedHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


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


def create(
    session: Session,
    person: Person,
    validity: timedelta,
    cost: str = "normal",
    questionnaire_id: str | None = None,
) -> NewCode:
    """A fresh code for `person` leading to a questionnaire (None: the default one); earlier
    open codes are closed as replaced, sessions ended."""
    now = utcnow()
    for old in person.codes:
        if old.closed_reason is None:
            old.closed_reason, old.closed_at = "replaced", now
    respondent_session.end_all(session, person)
    code = generate()
    record = LoginCode(
        person=person,
        code_hash=hash_code(code, cost),
        masked=mask(code),
        valid_from=now,
        valid_to=now + validity,
        questionnaire_id=questionnaire_id,
    )
    session.add(record)
    session.commit()
    return NewCode(code, record)


def open_code(person: Person, now: datetime) -> LoginCode | None:
    """The person's one code that is neither replaced, closed nor expired."""
    return next((c for c in reversed(person.codes) if c.status(now) == "valid"), None)


def hash_code(code: str, cost: str = "normal") -> str:
    """The stored form of a code: keyed with the app's secret, then hashed with argon2id."""
    return PEPPERED + _HASHERS[cost].hash(_keyed(code))


def matches(record: LoginCode | None, typed: str, cost: str = "normal") -> bool:
    """Whether `typed` is the record's code; a match on old parameters is rehashed.

    Without a record a dummy hash is checked, so every attempt costs the same one hash.
    """
    code = normalise(typed)
    stored = record.code_hash if record else _dummy_hash(cost)
    peppered = stored.startswith(PEPPERED)
    try:
        if peppered:
            _HASHERS[cost].verify(stored.removeprefix(PEPPERED), _keyed(code))
        else:
            _HASHERS[cost].verify(stored, code)
    except (VerificationError, InvalidHashError):
        return False
    if record is None:
        return False
    if not peppered or _HASHERS[cost].check_needs_rehash(stored.removeprefix(PEPPERED)):
        record.code_hash = hash_code(code, cost)
    return True


def _keyed(code: str) -> str:
    """HMAC-SHA256 of the code under the app's secret key, so a database alone reveals nothing."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, b"login-code:" + code.encode("utf-8"), hashlib.sha256).hexdigest()


@lru_cache(maxsize=len(_HASHERS))
def _dummy_hash(cost: str) -> str:
    """A hash made once per process in the same form and with the same parameters as codes."""
    return PEPPERED + _HASHERS[cost].hash(generate())


def close_all(person: Person, reason: str, leading_to: str | None = None) -> None:
    """Close the person's open codes (only those leading to one questionnaire, if given)."""
    now = utcnow()
    for record in person.codes:
        if record.closed_reason is None and leading_to in (None, questionnaire_of(record)):
            record.closed_reason, record.closed_at = reason, now


def questionnaire_of(record: LoginCode | None) -> str:
    """The questionnaire a code leads to (no code: the default one)."""
    return (record and record.questionnaire_id) or kompass().registry.active_id
