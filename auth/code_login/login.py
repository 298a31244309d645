"""Check a DUF number and code; every kind of failure looks the same to the person."""

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.code_login import codes, throttle
from auth.code_login.models import LoginCode
from auth.people.models import Person
from engine.app.db import utcnow


class Outcome(Enum):
    OK = "ok"
    FAILED = "failed"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class Policy:
    secret: str
    duf_limit: throttle.Limit
    client_limit: throttle.Limit
    hash_cost: str = "normal"

    @classmethod
    def from_config(cls, config: dict) -> "Policy":
        lock = timedelta(minutes=config["KOMPASS_LOGIN_LOCK_MINUTES"])
        return cls(
            secret=config["SECRET_KEY"],
            duf_limit=throttle.Limit(config["KOMPASS_LOGIN_MAX_FAILURES"], lock),
            client_limit=throttle.Limit(config["KOMPASS_CLIENT_MAX_FAILURES"], lock),
            hash_cost=config["KOMPASS_PASSWORD_HASH_COST"],
        )


def attempt(
    session: Session, duf: str, typed_code: str, client: str, policy: Policy
) -> tuple[Outcome, Person | None]:
    """Log in with an already normalised DUF number; stamps first use of the code."""
    now = utcnow()
    duf_key = throttle.key(policy.secret, "duf", duf)
    client_key = throttle.key(policy.secret, "client", client)
    allowed = throttle.reserve(session, client_key, policy.client_limit, now) and (
        throttle.reserve(session, duf_key, policy.duf_limit, now)
    )
    session.commit()
    if not allowed:
        return Outcome.FAILED, None
    person = session.scalars(select(Person).where(Person.duf == duf)).first()
    outcome = _check_code(person, typed_code, policy, now)
    if outcome is not Outcome.FAILED:
        throttle.clear(session, duf_key)
        throttle.refund(session, client_key)
    session.commit()
    return outcome, person if outcome is Outcome.OK else None


def _check_code(person: Person | None, typed_code: str, policy: Policy, now) -> Outcome:
    """Verifies exactly one hash (a dummy one without a usable code), so time tells nothing."""
    record, outcome = _candidate(person, now)
    if not codes.matches(record, typed_code, policy.hash_cost):
        return Outcome.FAILED
    if outcome is Outcome.OK and record.first_used_at is None:
        record.first_used_at = now
    return outcome


def _candidate(person: Person | None, now) -> tuple[LoginCode | None, Outcome]:
    """The open code, else the code closed by submitting (to say so), else none."""
    if person is None:
        return None, Outcome.FAILED
    record = codes.open_code(person, now)
    if record is not None:
        return record, Outcome.OK
    latest = person.codes[-1] if person.codes else None
    if latest is not None and latest.closed_reason == "submitted":
        return latest, Outcome.SUBMITTED
    return None, Outcome.FAILED


def questionnaire_of(person: Person) -> str:
    """The questionnaire the person's open code leads to (they have just logged in with it)."""
    return codes.questionnaire_of(codes.open_code(person, utcnow()))
