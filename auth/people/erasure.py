"""Erasing persons: on request (one person) and by retention (persons kept too long).

A person's subject (`person:<id>`) names their responses; the engine removes those
(`engine.responses.retention.Remover`), the code-login plugin their codes, this module the person
row.
Retention anonymises the submitted mappings of expired persons (kept for statistics) and
erases everything else; erasure on request keeps nothing. See docs/retention.md.
"""

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from auth.people.models import SUBJECT_PREFIX, Person
from engine.responses.retention import Remover, Run
from engine.responses.storage import Response, Submission

PERSONS_DELETED = "persons_deleted"


def person_id_of(subject: str) -> int | None:
    """The person id in a subject `person:<id>`; None for any other subject."""
    kind, _, number = subject.partition(":")
    return int(number) if f"{kind}:" == SUBJECT_PREFIX and number.isdecimal() else None


def name_of(session: Session, subject: str) -> str | None:
    """The full name of the person of `subject`, if they are in the registry and have one."""
    person_id = person_id_of(subject)
    person = session.get(Person, person_id) if person_id is not None else None
    return (person.full_name or None) if person else None


def delete_person(session: Session, subject: str) -> dict[str, int]:
    """The person row of `subject` (their codes must be gone first)."""
    person_id = person_id_of(subject)
    if person_id is None:
        return {}
    result = session.execute(delete(Person).where(Person.id == person_id))
    return {PERSONS_DELETED: max(result.rowcount or 0, 0)}


class AlreadyErased(Exception):
    """The person was erased meanwhile (by another request)."""


def erase(remover: Remover, subject: str) -> Counter:
    """Everything about one person, on request; the caller commits.

    Whether the person row was deleted decides: of two erasures at once, one erases and the
    other rolls back and raises `AlreadyErased`.
    """
    counts = remover.erase(subject)
    if not counts[PERSONS_DELETED]:
        remover.session.rollback()
        raise AlreadyErased()
    return counts


def find(session: Session, duf: str) -> Person | None:
    return session.scalars(select(Person).where(Person.duf == duf)).first()


def expired(session: Session, now: datetime, mapped_years: int, unmapped_years: int) -> list[int]:
    """Ids of persons whose last submission (or, never submitted, registration) is too old."""
    last = (
        select(Response.subject, func.max(Submission.submitted_at).label("at"))
        .join(Submission, Submission.response_id == Response.id)
        .group_by(Response.subject)
        .subquery()
    )
    query = (
        select(Person.id)
        .outerjoin(last, last.c.subject == Person.subject)
        .where(
            or_(
                last.c.at < years_before(now, mapped_years),
                (last.c.at.is_(None)) & (Person.created_at < years_before(now, unmapped_years)),
            )
        )
        .order_by(Person.id)
    )
    return list(session.scalars(query))


def retention(run: Run) -> Counter:
    """Expired persons: their submitted mappings anonymised, everything else erased."""
    counts: Counter = Counter()
    ids = expired(
        run.session,
        run.now,
        int(run.setting("RETENTION_MAPPED_YEARS")),
        int(run.setting("RETENTION_UNMAPPED_YEARS")),
    )
    for person_id in ids:
        counts.update(run.remover.anonymise(f"{SUBJECT_PREFIX}{person_id}"))
    return counts


def years_before(moment: datetime, years: int) -> datetime:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
