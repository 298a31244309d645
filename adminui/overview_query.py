"""The overview's one query: the persons a user may see, each with their mapping state for one
questionnaire, filtered, in urgency order, counted and cut into pages in the database.

Urgency: a settled person not yet mapped has a deadline (settlement + the deadline months);
those come first, the earliest deadline first (so a deadline already passed before one still
ahead), ordered by settlement date, which orders the deadlines the same way; then everyone
without a deadline (in a reception centre, no settlement date, or mapped). Within each, by last
name, first name and id, so the order is total and pages never overlap.
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
    """Rows of (Person, state, response id, version id, updated at), most urgent first."""
    persons, state_of = _filtered(user, questionnaire_id, residence, state, now)
    query = persons.add_columns(state_of, Response.id, Response.version_id, Response.updated_at)
    return query.options(contains_eager(Person.reception_centre)).order_by(*_urgency(state_of))


def count(
    user: User, questionnaire_id: str, residence: str | None, state: str | None, now: datetime
) -> Select:
    """How many persons `listing` finds, as one number."""
    persons, _ = _filtered(user, questionnaire_id, residence, state, now)
    return select(func.count()).select_from(persons.with_only_columns(Person.id).subquery())


def _filtered(user, questionnaire_id, residence, state, now) -> tuple[Select, object]:
    """The visible persons joined to their response, filtered; and the state as SQL."""
    persons = access.visible_persons(user).outerjoin(
        Response,
        and_(Response.subject == Person.subject, Response.questionnaire_id == questionnaire_id),
    )
    if residence:
        persons = persons.where(Person.residence == residence)
    state_of = _state(questionnaire_id, now)
    if state:
        persons = persons.where(state_of == state)
    return persons, state_of


def _state(questionnaire_id: str, now: datetime):
    """The state of `STATES` as SQL: a response decides; else whether a code still works."""
    reopened = exists().where(
        Submission.response_id == Response.id, Submission.reopened_at.is_not(None)
    )
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


def _urgency(state_of) -> tuple:
    has_deadline = and_(
        Person.residence == BOSATT, Person.settled_on.is_not(None), state_of.not_in(MAPPED)
    )
    return (
        case((has_deadline, 0), else_=1),
        case((has_deadline, Person.settled_on), else_=None),
        Person.last_name,
        Person.first_name,
        Person.id,
    )
