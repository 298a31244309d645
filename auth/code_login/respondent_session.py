"""The respondent's log-in: the person in the signed cookie, alive only with its server session.

A session ends at log-out, when the person gets a new code, after `SESSION_MINUTES` without a
request and after `RESPONDENT_SESSION_HOURS` however busy (see `auth.code_login.server_sessions`).
"""

from datetime import timedelta

from flask import current_app, session
from sqlalchemy import bindparam, exists
from sqlalchemy.orm import Session

from auth.code_login import server_sessions
from auth.people.models import SUBJECT_PREFIX, Person
from engine.app.context import db_session

SESSION_KEY = "respondent_person"
TOKEN_KEY = "respondent_session"
QUESTIONNAIRE_KEY = "respondent_questionnaire"
KIND = "respondent"


def sign_in(person: Person, questionnaire_id: str) -> None:
    """A fresh session answering one questionnaire (the one this browser had, if any, ends)."""
    server_sessions.end(db_session(), session.get(TOKEN_KEY))
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = person.id
    session[QUESTIONNAIRE_KEY] = questionnaire_id
    session[TOKEN_KEY] = server_sessions.start(db_session(), KIND, person.subject, _lifetime())


# The live session of a person who still exists, in one query.
_PERSON_SESSION = server_sessions.SESSION.where(exists().where(Person.id == bindparam("person_id")))


def current_subject() -> str | None:
    """The logged-in person's subject, or None (a session that is no longer valid is ended)."""
    person_id = session.get(SESSION_KEY)
    if person_id is None:
        return None
    token = session.get(TOKEN_KEY)
    checked = server_sessions.check(
        db_session(), KIND, token, _lifetime(), _PERSON_SESSION, person_id=person_id
    )
    if checked is None or checked != f"{SUBJECT_PREFIX}{person_id}":
        sign_out()
        return None
    return checked


def questionnaire_id() -> str | None:
    """The questionnaire the logged-in person answers (their code's)."""
    return session.get(QUESTIONNAIRE_KEY)


def sign_out() -> None:
    server_sessions.end(db_session(), session.pop(TOKEN_KEY, None))
    session.pop(SESSION_KEY, None)
    session.pop(QUESTIONNAIRE_KEY, None)


def end_all(db: Session, person: Person) -> None:
    """End every session of this person (a new code was made), in the caller's transaction."""
    server_sessions.end_all(db, KIND, person.subject)


def _lifetime() -> server_sessions.Lifetime:
    config = current_app.config
    return server_sessions.Lifetime(
        idle=timedelta(minutes=config["KOMPASS_SESSION_MINUTES"]),
        absolute=timedelta(hours=config["KOMPASS_RESPONDENT_SESSION_HOURS"]),
    )
