"""Who is still waiting: the persons a counsellor's roles cover, each with their mapping state.

The persons are exactly `access.visible_persons(user)`; filtering, the urgency order, counting
and pages are the database's (`overview_query.py`), so a page costs the same for 100 persons as
for 10,000. The rows of a page (or of a download, a batch at a time) then get their codes and
verification marks in bulk.
"""

import calendar
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from adminui import overview_query
from adminui.formatting import OSLO
from adminui.overview_query import MAPPED, STATES
from auth.code_login.codes import questionnaire_of
from auth.code_login.models import LoginCode
from auth.people.models import BOSATT, RESIDENCES, Person
from auth.staff.models import User
from engine.responses import verification
from engine.responses.storage import SUBMITTED, Response, Submission

NO_CODE, CODE_VALID, CODE_EXPIRED, IN_PROGRESS, SUBMITTED_STATE, REOPENED = STATES
PAGE_SIZE = 50
BATCH = 1_000
"""Rows built at a time for a download: their codes and marks are one query per batch."""


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
    """What is known of one person's response: its ids, last change and state."""

    response_id: int
    version_id: int
    updated_at: datetime
    state: str


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    count: int
    total: int

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to link: the first, the last and two either side of this one;
        None where numbers are left out."""
        near = {1, self.count, *range(self.number - 2, self.number + 3)}
        shown = sorted(n for n in near if 1 <= n <= self.count)
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


@dataclass(frozen=True)
class Context:
    """What every row is made with: the questionnaire, the time, the deadline and a counter."""

    questionnaire_id: str
    now: datetime
    months: int
    sections_of: Callable[[int], int] | None = None


def rows(session: Session, user: User, filters: Filters, context: Context) -> Iterator[Row]:
    """Every person `user` may see that matches `filters`, with their state for the context's
    questionnaire, most urgent first; made and handed on a batch at a time (a download streams
    them), so memory does not grow with the municipality."""
    query = _listing(user, context, filters).execution_options(yield_per=BATCH)
    found = iter(session.scalars(query))
    while batch := list(islice(found, BATCH)):
        yield from _rows(session, batch, context)


def total(session: Session, user: User, filters: Filters, context: Context) -> int:
    """How many persons `rows` and the pages hold in all."""
    return session.scalar(overview_query.count(user, context.questionnaire_id, filters.residence,
                                               filters.state, context.now))  # fmt: skip


def page(
    session: Session, user: User, filters: Filters, number: int | None, context: Context
) -> Page:
    """One page of `rows`, and how many persons match in all."""
    matching = total(session, user, filters, context)
    count = max(1, math.ceil(matching / PAGE_SIZE))
    number = min(max(number or 1, 1), count)
    query = _listing(user, context, filters).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    found = list(session.scalars(query))
    return Page(_rows(session, found, context), number, count, matching)


def state_of(
    progress: Progress | None, reopened: bool, codes: list[LoginCode], now: datetime
) -> str:
    """A response decides; without one, whether the person holds a code that still works
    (`overview_query.state_sql` says the same in SQL)."""
    if progress is not None:
        if progress.state == SUBMITTED:
            return SUBMITTED_STATE
        return REOPENED if reopened else IN_PROGRESS
    if not codes:
        return NO_CODE
    return CODE_VALID if any(code.status(now) == "valid" for code in codes) else CODE_EXPIRED


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day (30 November + 3 = 28 February)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    last_day = calendar.monthrange(year, month)[1]
    return start.replace(year=year, month=month, day=min(start.day, last_day))


def _listing(user: User, context: Context, filters: Filters):
    return overview_query.listing(
        user, context.questionnaire_id, filters.residence, filters.state, context.now
    )


def _rows(session: Session, persons: list[Person], context: Context) -> list[Row]:
    """Rows of `persons`: their responses, codes, reopenings and verification marks, in bulk."""
    progress = _progress(session, persons, context.questionnaire_id)
    codes = _codes(session, [p.id for p in persons], context.questionnaire_id)
    reopened = _reopened(session, [p.response_id for p in progress.values()])
    verified = _verified(session, progress, context.sections_of) if context.sections_of else {}
    today = context.now.astimezone(OSLO).date()
    made = []
    for person in persons:
        held, known = codes.get(person.id, []), progress.get(person.subject)
        state = state_of(known, known is not None and known.response_id in reopened, held,
                         context.now)  # fmt: skip
        marks = verified.get(known.response_id) if known else None
        made.append(_row(person, known, state, held, (today, context.months), marks))
    return made


def _progress(session: Session, persons: list[Person], questionnaire_id: str) -> dict:
    """Each person's response to this questionnaire, by subject."""
    facts = (Response.id, Response.version_id, Response.updated_at, Response.state)
    query = select(Response.subject, *facts).where(
        Response.questionnaire_id == questionnaire_id,
        Response.subject.in_([p.subject for p in persons]),
    )
    return {subject: Progress(*rest) for subject, *rest in session.execute(query)}


def _reopened(session: Session, response_ids: list[int]) -> set[int]:
    """Those of the responses that were ever reopened."""
    query = select(Submission.response_id).where(
        Submission.response_id.in_(response_ids), Submission.reopened_at.is_not(None)
    )
    return set(session.scalars(query))


def _codes(session: Session, ids: list[int], questionnaire_id: str) -> dict[int, list[LoginCode]]:
    """Each listed person's codes leading to this questionnaire, oldest first."""
    found = defaultdict(list)
    query = select(LoginCode).where(LoginCode.person_id.in_(ids)).order_by(LoginCode.id)
    for code in session.scalars(query):
        if questionnaire_of(code) == questionnaire_id:
            found[code.person_id].append(code)
    return found


def _verified(session: Session, progress: dict[str, Progress], sections_of) -> dict:
    """Per response id: its sections gone through with the person, of all its sections."""
    marks = verification.current_states(session, [p.response_id for p in progress.values()])
    return {
        p.response_id: Verified(
            sum(1 for state in marks.get(p.response_id, {}).values()
                if state == verification.GONE_THROUGH),
            sections_of(p.version_id),
        )
        for p in progress.values()
    }  # fmt: skip


def _row(
    person: Person, progress: Progress | None, state: str, codes, deadline_of: tuple,
    verified: Verified | None,
) -> Row:  # fmt: skip
    """`deadline_of`: today and the deadline months."""
    today, months = deadline_of
    newest = codes[-1] if codes else None
    deadline = _deadline(person, state, months)
    return Row(
        person=person,
        state=state,
        code_valid_to=newest.valid_to if newest and newest.closed_reason is None else None,
        last_activity=progress.updated_at if progress else _code_activity(newest),
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        verified=verified,
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
