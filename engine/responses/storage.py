"""Stored responses: one per subject and questionnaire, with a revision against stale tabs.

Every submission is also kept as a snapshot (`Submission`), so a response reopened for
correction never loses what was submitted before. A write (`save_draft`, `submit`, `reopen`)
is made in the caller's transaction and not committed: the lifecycle commits it together with
what the plugins record of it.
"""

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from engine.app.db import Base, JSONDocument, UTCDateTime, utcnow
from engine.questionnaire.validation import Checked
from engine.responses.respondent import INTERVIEW, SELF, Respondent
from engine.versions.published import PublishedVersion

DRAFT = "draft"
SUBMITTED = "submitted"


class StaleRevision(Exception):
    """The response changed since the page was shown (another tab, or another person)."""


class InvalidAnswers(ValueError):
    """Answers that do not match the questionnaire's schema are never stored."""


class AlreadySubmitted(Exception):
    """A submitted response cannot be changed."""


class NotSubmitted(Exception):
    """Only a submitted response can be reopened."""


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("subject", "questionnaire_id"),
        Index("ix_responses_listing", "questionnaire_id", "version_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    language: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=DRAFT)
    answers: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    mode: Mapped[str] = mapped_column(String(20), default=SELF)
    entered_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    section_log: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    # Loaded only when asked for: SQLite keeps a version's later columns behind its large bundle,
    # so joining it to every response read cost more than the rest of a page's queries.
    version: Mapped[PublishedVersion] = relationship(lazy="select")

    @property
    def submitted(self) -> bool:
        return self.state == SUBMITTED

    @property
    def questionnaire_version(self) -> int:
        return self.version.version


class Submission(Base):
    """What was submitted, kept unchanged; reopening records who, when and why."""

    __tablename__ = "response_submissions"
    __table_args__ = (UniqueConstraint("response_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    language: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    entered_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    answers: Mapped[dict] = mapped_column(JSONDocument)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reopened_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    reopen_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


_FIND = select(Response).where(
    Response.subject == bindparam("subject"), Response.questionnaire_id == bindparam("qid")
)  # built once: every page asks it


def find(session: Session, subject: str, questionnaire_id: str) -> Response | None:
    return session.scalars(_FIND, {"subject": subject, "qid": questionnaire_id}).first()


def find_or_start(session: Session, subject: str, version: PublishedVersion, lang: str):
    """The subject's response to this questionnaire, started on `version` if none exists."""
    existing = find(session, subject, version.questionnaire_id)
    if existing:
        return existing
    response = Response(
        subject=subject,
        questionnaire_id=version.questionnaire_id,
        version_id=version.id,
        language=lang,
        answers={},
    )
    session.add(response)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return find(session, subject, version.questionnaire_id)
    return response


def save_draft(
    session: Session,
    response: Response,
    checked: Checked,
    revision: int,
    lang: str,
    respondent: Respondent | None = None,
    section: str | None = None,
) -> Response:
    """Write new answers if `revision` is still current (the caller commits).

    Only answers `engine.questionnaire.validation.check` found valid for the response's
    questionnaire are
    written: the schema is applied once, there, and not again here (a `Checked` cannot be made
    elsewhere); anything else raises `InvalidAnswers`.

    Once answers were saved in an interview the response stays marked as 'interview', with the
    last staff user who entered answers. `section_log` keeps, per section, how and by whom it
    was last saved.
    """
    if not _valid_for(checked, response):
        raise InvalidAnswers("answers do not match the questionnaire schema")
    values = {"answers": checked.answers, "language": lang}
    if respondent is not None and respondent.mode == INTERVIEW:
        values.update(mode=INTERVIEW, entered_by=respondent.entered_by)
    if section is not None:
        values["section_log"] = {**(response.section_log or {}), section: _log_entry(respondent)}
    _write(session, response, revision, **values)
    return response


def _valid_for(checked: object, response: Response) -> bool:
    return (
        isinstance(checked, Checked)
        and checked.valid
        and checked.questionnaire.id == response.questionnaire_id
    )


def _log_entry(respondent: Respondent | None) -> dict:
    interview = respondent is not None and respondent.mode == INTERVIEW
    return {
        "mode": INTERVIEW if interview else SELF,
        "by": respondent.entered_by if interview else None,
        "at": utcnow().isoformat(),
    }


def submit(session: Session, response: Response, revision: int) -> Response:
    """Submit and keep a snapshot, in one transaction (the caller commits)."""
    now = utcnow()
    _write(session, response, revision, DRAFT, state=SUBMITTED, submitted_at=now)
    number = len(submissions(session, response.id)) + 1
    session.add(
        Submission(
            response_id=response.id, number=number, version_id=response.version_id,
            language=response.language, mode=response.mode, entered_by=response.entered_by,
            answers=response.answers, submitted_at=now,
        )
    )  # fmt: skip
    return response


def reopen(session: Session, response: Response, revision: int, by: str, reason: str) -> Response:
    """Make a submitted response a draft again; its last snapshot records who, when and why
    (the caller commits)."""
    if not response.submitted:
        raise NotSubmitted()
    now = utcnow()
    _write(session, response, revision, SUBMITTED, state=DRAFT, submitted_at=None)
    last = submissions(session, response.id)[-1]
    last.reopened_at, last.reopened_by, last.reopen_reason = now, by, reason
    return response


def submissions(session: Session, response_id: int) -> list[Submission]:
    query = select(Submission).where(Submission.response_id == response_id)
    return list(session.scalars(query.order_by(Submission.number)))


def _write(session: Session, response: Response, revision: int, expected=DRAFT, **values) -> None:
    """One conditional UPDATE: it changes the row only at `revision` and in state `expected`.

    The row stays locked until the caller commits; the UPDATE returns the row as it wrote it,
    which `response` takes (no second read). A stale revision rolls the caller's transaction back.
    """
    if response.state != expected:
        raise AlreadySubmitted() if expected == DRAFT else NotSubmitted()
    changes = {"revision": revision + 1, "updated_at": utcnow(), **values}
    written = session.execute(
        _UPDATE, {"row_id": response.id, "at_revision": revision, "in_state": expected, **changes}
    ).first()
    if written is None:
        session.rollback()
        session.refresh(response)
        raise StaleRevision()
    for key, value in zip(_ATTRIBUTES, written, strict=True):
        set_committed_value(response, key, value)


_COLUMNS = Response.__table__.c
_UPDATE = (
    update(Response.__table__)
    .where(
        _COLUMNS.id == bindparam("row_id"),
        _COLUMNS.revision == bindparam("at_revision"),
        _COLUMNS.state == bindparam("in_state"),
    )
    .returning(*_COLUMNS)
)  # built once; the columns given with it are the ones it sets
_ATTRIBUTES = [inspect(Response).get_property_by_column(c).key for c in _COLUMNS]
