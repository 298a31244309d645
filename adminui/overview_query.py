"""The overview's one query: the persons a user may see, each with their mapping state for one
questionnaire, filtered, in urgency order, counted and cut into pages in the database.

Urgency: a settled person not yet mapped has a deadline (settlement + the deadline months);
those come first, the earliest deadline first (so a deadline already passed before one still
ahead), ordered by settlement date, which orders the deadlines the same way; then everyone
without a deadline (in a reception centre, no settlement date, or mapped). Within each, by last
name, first name and id, so the order is total and pages never overlap.

The order reads only the person and the list of mapped persons (never their codes), so sorting
costs little per person; the state as SQL (`state_sql`) is only computed to filter by it, and
the rows of a page get theirs in Python (`overview.state_of`), from the same facts.
"""

from datetime import datetime

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import contains_eager

from auth.code_login.codes import questionnaire_of
from auth.code_login.models import LoginCode
from auth.people.models import BOSATT, Person
from auth.staff import access
from auth.staff.models import User
from engine.responses.storage import SUBMITTED, Response, Submission

NO_CODE, CODE_VALID, CODE_EXPIRED = "no_code", "code_valid", "code_expired"
IN_PROGRESS, SUBMITTED_STATE, REOPENED = "in_progress", "submitted", "reopened"
STATES = (NO_CODE, CODE_VALID, CODE_EXPIRED, IN_PROGRESS, SUBMITTED_STATE, REOPENED)
MAPPED = (SUBMITTED_STATE, REOPENED)
"""Submitted at least once: the mapping the law asks for is done, so no deadline applies."""


def listing(
    user: User, questionnaire_id: str, residence: str | None, state: str | None, now: datetime
) -> Select:
    """The persons, most urgent first."""
    persons = _filtered(user, questionnaire_id, residence, state, now)
    urgency = _urgency(questionnaire_id)
    return persons.options(contains_eager(Person.reception_centre)).order_by(*urgency)


def count(
    user: User, questionnaire_id: str, residence: str | None, state: str | None, now: datetime
) -> Select:
    """How many persons `listing` finds, as one number."""
    persons = _filtered(user, questionnaire_id, residence, state, now)
    return select(func.count()).select_from(persons.with_only_columns(Person.id).subquery())


def _filtered(user, questionnaire_id, residence, state, now) -> Select:
    """The visible persons, filtered; joined to their response (at most one, so the join never
    adds rows) only to filter by state."""
    persons = access.visible_persons(user)
    if residence:
        persons = persons.where(Person.residence == residence)
    if state:
        persons = persons.outerjoin(Response, and_(
            Response.subject == Person.subject, Response.questionnaire_id == questionnaire_id
        ))  # fmt: skip
        persons = persons.where(state_sql(questionnaire_id, now) == state)
    return persons


def state_sql(questionnaire_id: str, now: datetime):
    """The state of `STATES` as SQL: a response decides; else whether a code still works."""
    reopened = _reopened()
    codes = _codes_of(questionnaire_id)
    works = and_(
        or_(LoginCode.closed_reason.is_(None), LoginCode.closed_reason == ""),
        LoginCode.valid_from <= now,
        LoginCode.valid_to > now,
    )
    return case(
        (Response.state == SUBMITTED, literal(SUBMITTED_STATE)),
        (and_(Response.id.is_not(None), reopened), literal(REOPENED)),
        (Response.id.is_not(None), literal(IN_PROGRESS)),
        (~exists().where(codes), literal(NO_CODE)),
        (exists().where(codes, works), literal(CODE_VALID)),
        else_=literal(CODE_EXPIRED),
    )


def _codes_of(questionnaire_id: str):
    """The person's codes that lead to this questionnaire (no questionnaire: the default)."""
    leads_here = LoginCode.questionnaire_id == questionnaire_id
    if questionnaire_of(None) == questionnaire_id:
        leads_here = or_(leads_here, LoginCode.questionnaire_id.is_(None))
    return and_(LoginCode.person_id == Person.id, leads_here)


def _reopened():
    """Whether the joined response was ever reopened."""
    reopening = Submission.reopened_at.is_not(None)
    return exists().where(Submission.response_id == Response.id, reopening)


def _urgency(questionnaire_id: str) -> tuple:
    """A deadline (by settlement date) first, the earliest first; then no deadline; by name."""
    mapped = select(Response.subject).where(
        Response.questionnaire_id == questionnaire_id,
        or_(Response.state == SUBMITTED, _reopened()),
    )
    has_deadline = and_(
        Person.residence == BOSATT, Person.settled_on.is_not(None), Person.subject.not_in(mapped)
    )
    deadline = case((has_deadline, Person.settled_on), else_=None)
    return (deadline.nulls_last(), Person.last_name, Person.first_name, Person.id)
