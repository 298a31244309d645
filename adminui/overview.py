"""Who is still waiting: the persons a counsellor's roles cover, each with their mapping state.

The persons are exactly `access.visible_persons(user)`; their codes and responses are loaded in
bulk (one query each), so a municipality of a few thousand persons takes three queries.
"""

import calendar
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, contains_eager

from adminui.formatting import OSLO
from auth.code_login.codes import questionnaire_of
from auth.code_login.models import LoginCode
from auth.people.models import BOSATT, RESIDENCES, Person
from auth.staff import access
from auth.staff.models import User
from engine.responses import verification
from engine.responses.storage import SUBMITTED, Response, Submission

NO_CODE, CODE_VALID, CODE_EXPIRED = "no_code", "code_valid", "code_expired"
IN_PROGRESS, SUBMITTED_STATE, REOPENED = "in_progress", "submitted", "reopened"
STATES = (NO_CODE, CODE_VALID, CODE_EXPIRED, IN_PROGRESS, SUBMITTED_STATE, REOPENED)
MAPPED = (SUBMITTED_STATE, REOPENED)
"""Submitted at least once: the mapping the law asks for is done, so no deadline applies."""
PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    state: str | None = None
    residence: str | None = None
    questionnaire: str | None = None
    """None: the default questionnaire; the view checks that a named one is served."""

    @classmethod
    def parse(cls, args: Mapping[str, str], questionnaire: str | None = None) -> "Filters":
        """Unknown values of state and residence are ignored, as if nothing was chosen."""
        state, residence = args.get("state"), args.get("residence")
        return cls(
            state=state if state in STATES else None,
            residence=residence if residence in RESIDENCES else None,
            questionnaire=questionnaire,
        )

    def args(self) -> dict[str, str]:
        """The chosen filters, for the audit log and links (no personal data)."""
        chosen = (("state", self.state), ("residence", self.residence),
                  ("questionnaire", self.questionnaire))  # fmt: skip
        return {k: v for k, v in chosen if v}


@dataclass(frozen=True)
class Row:
    person: Person
    state: str
    code_valid_to: datetime | None
    last_activity: datetime | None
    deadline: date | None
    days_left: int | None
    verified: "Verified | None" = None


@dataclass(frozen=True)
class Verified:
    """Sections gone through with the person, of all the sections of the response's version."""

    count: int
    total: int


@dataclass(frozen=True)
class Progress:
    """What is known of one person's response: its state, last change, and any reopening."""

    state: str
    updated_at: datetime
    reopened: bool
    response_id: int = 0
    version_id: int = 0


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    count: int
    total: int


def rows(
    session: Session, user: User, questionnaire_id: str, filters: Filters, now: datetime,
    months: int, sections_of: Callable[[int], int] | None = None,
) -> list[Row]:  # fmt: skip
    """The persons `user` may see that match `filters`, with their state for this questionnaire,
    most urgent first.

    `sections_of` gives the number of sections of a version id, for "verified 4 of 7".
    """
    listed = access.visible_persons(user)
    if filters.residence:
        listed = listed.where(Person.residence == filters.residence)
    ids = select(listed.subquery().c.id)
    codes = _codes(session, ids, questionnaire_id)
    progress = _progress(session, ids, questionnaire_id)
    today = now.astimezone(OSLO).date()
    persons = session.scalars(listed.options(contains_eager(Person.reception_centre)))
    verified = _verified(session, progress, sections_of) if sections_of else {}
    found = [
        _row(person, codes.get(person.id, []), progress.get(person.subject), now, today, months,
             verified)
        for person in persons
    ]  # fmt: skip
    kept = [row for row in found if filters.state is None or row.state == filters.state]
    return sorted(kept, key=_urgency)


def state_of(progress: Progress | None, codes: list[LoginCode], now: datetime) -> str:
    """A response decides; without one, whether the person holds a code that still works."""
    if progress is not None:
        if progress.state == SUBMITTED:
            return SUBMITTED_STATE
        return REOPENED if progress.reopened else IN_PROGRESS
    if not codes:
        return NO_CODE
    return CODE_VALID if any(code.status(now) == "valid" for code in codes) else CODE_EXPIRED


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day (30 November + 3 = 28 February)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    last_day = calendar.monthrange(year, month)[1]
    return start.replace(year=year, month=month, day=min(start.day, last_day))


def paginate(found: list[Row], number: int | None) -> Page:
    count = max(1, math.ceil(len(found) / PAGE_SIZE))
    number = min(max(number or 1, 1), count)
    start = (number - 1) * PAGE_SIZE
    return Page(found[start : start + PAGE_SIZE], number, count, len(found))


def _codes(session: Session, ids, questionnaire_id: str) -> dict[int, list[LoginCode]]:
    """Each listed person's codes leading to this questionnaire, oldest first."""
    found = defaultdict(list)
    query = select(LoginCode).where(LoginCode.person_id.in_(ids)).order_by(LoginCode.id)
    for code in session.scalars(query):
        if questionnaire_of(code) == questionnaire_id:
            found[code.person_id].append(code)
    return found


def _progress(session: Session, ids, questionnaire_id: str) -> dict[str, Progress]:
    """Each listed person's response to this questionnaire, by subject."""
    subjects = select(Person.subject).where(Person.id.in_(ids))
    reopened = exists().where(
        and_(Submission.response_id == Response.id, Submission.reopened_at.is_not(None))
    )
    facts = (Response.state, Response.updated_at, reopened, Response.id, Response.version_id)
    query = select(Response.subject, *facts).where(
        Response.questionnaire_id == questionnaire_id, Response.subject.in_(subjects)
    )
    return {subject: Progress(*rest) for subject, *rest in session.execute(query)}


def _verified(session: Session, progress: dict[str, Progress], sections_of) -> dict[int, Verified]:
    """Per response id: its sections gone through with the person, of all its sections."""
    ids = [p.response_id for p in progress.values()]
    marks = verification.current_states(session, ids)
    return {
        p.response_id: Verified(
            sum(1 for state in marks.get(p.response_id, {}).values()
                if state == verification.GONE_THROUGH),
            sections_of(p.version_id),
        )
        for p in progress.values()
    }  # fmt: skip


def _row(
    person: Person, codes, progress: Progress | None, now, today: date, months: int,
    verified: dict[int, Verified],
) -> Row:  # fmt: skip
    state = state_of(progress, codes, now)
    newest = codes[-1] if codes else None
    deadline = _deadline(person, state, months)
    return Row(
        person=person,
        state=state,
        code_valid_to=newest.valid_to if newest and newest.closed_reason is None else None,
        last_activity=progress.updated_at if progress else _code_activity(newest),
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        verified=verified.get(progress.response_id) if progress else None,
    )


def _deadline(person: Person, state: str, months: int) -> date | None:
    """Settlement + `months` for a settled person not yet mapped; else no deadline."""
    if person.residence != BOSATT or person.settled_on is None or state in MAPPED:
        return None
    return add_months(person.settled_on, months)


def _code_activity(code: LoginCode | None) -> datetime | None:
    """When the newest code was made, or first used if that came later."""
    if code is None:
        return None
    return max(code.valid_from, code.first_used_at or code.valid_from)


def _urgency(row: Row) -> tuple:
    """Overdue first, then fewest days left, then persons without a deadline; then by name."""
    person = row.person
    return (row.days_left is None, row.days_left or 0, person.last_name, person.first_name,
            person.id)  # fmt: skip
