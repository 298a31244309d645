"""Stored responses: one per subject and questionnaire, with a revision against stale tabs."""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine import validation
from engine.db import Base, UTCDateTime, utcnow
from engine.questionnaire import Questionnaire
from engine.respondent import INTERVIEW, SELF, Respondent

DRAFT = "draft"
SUBMITTED = "submitted"


class StaleRevision(Exception):
    """The response changed since the page was shown (another tab, or another person)."""


class InvalidAnswers(ValueError):
    """Answers that do not match the questionnaire's schema are never stored."""


class AlreadySubmitted(Exception):
    """A submitted response cannot be changed."""


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("subject", "questionnaire_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=DRAFT)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    mode: Mapped[str] = mapped_column(String(20), default=SELF)
    entered_by: Mapped[str | None] = mapped_column(String(60), nullable=True)

    @property
    def submitted(self) -> bool:
        return self.state == SUBMITTED


def find(session: Session, subject: str, questionnaire_id: str) -> Response | None:
    query = select(Response).where(
        Response.subject == subject, Response.questionnaire_id == questionnaire_id
    )
    return session.scalars(query).first()


def find_or_start(session: Session, subject: str, questionnaire: Questionnaire, lang: str):
    """The subject's response to this questionnaire, started as an empty draft if none exists."""
    existing = find(session, subject, questionnaire.id)
    if existing:
        return existing
    response = Response(
        subject=subject,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        language=lang,
        answers={},
    )
    session.add(response)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return find(session, subject, questionnaire.id)
    return response


def save_draft(
    session: Session,
    response: Response,
    questionnaire: Questionnaire,
    answers: dict,
    revision: int,
    lang: str,
    respondent: Respondent | None = None,
) -> Response:
    """Store new answers if `revision` is still current; hidden answers are dropped first.

    Once answers were saved in an interview the response stays marked as 'interview', with the
    last staff user who entered answers.
    """
    answers = validation.prune_hidden(questionnaire, answers)
    if validation.schema_problems(questionnaire, answers):
        raise InvalidAnswers("answers do not match the questionnaire schema")
    values = {"answers": answers, "language": lang}
    if respondent is not None and respondent.mode == INTERVIEW:
        values.update(mode=INTERVIEW, entered_by=respondent.entered_by)
    return _write(session, response, revision, **values)


def submit(session: Session, response: Response, revision: int) -> Response:
    return _write(session, response, revision, state=SUBMITTED, submitted_at=utcnow())


def _write(session: Session, response: Response, revision: int, **values) -> Response:
    if response.submitted:
        raise AlreadySubmitted()
    result = session.execute(
        update(Response)
        .where(
            Response.id == response.id,
            Response.revision == revision,
            Response.state == DRAFT,
        )
        .values(revision=revision + 1, updated_at=utcnow(), **values)
    )
    session.commit()
    if result.rowcount != 1:
        session.refresh(response)
        raise StaleRevision()
    session.refresh(response)
    return response
