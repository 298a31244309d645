"""Section verification: a staff user marks each section of a response as gone through with the
person or as needing follow-up, with an optional note.

Rows are only appended; the newest row per section is its current state, so the history stays
(reopening a response keeps it too). The actor is an opaque reference, like `entered_by`.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.app.db import Base, UTCDateTime, utcnow
from engine.questionnaire.loaded import Questionnaire
from engine.responses.respondent import INTERVIEW
from engine.responses.storage import Response

GONE_THROUGH = "gone_through"
NEEDS_FOLLOW_UP = "needs_follow_up"
STATES = (GONE_THROUGH, NEEDS_FOLLOW_UP)
NOTE_LIMIT = 1000


class CannotVerify(ValueError):
    """The section, state or note is not allowed, or the response is not ready to verify."""


class SectionVerification(Base):
    __tablename__ = "section_verifications"
    __table_args__ = (Index("ix_section_verifications_response", "response_id", "section", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"))
    section: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class Mark:
    """One section's state as read: who, when, what, and the note."""

    section: str
    state: str
    actor: str
    at: datetime
    note: str | None


def can_verify(response: Response) -> bool:
    """A submitted response, or one being filled in with a staff user (interview mode)."""
    return response.submitted or response.mode == INTERVIEW


def record(
    session: Session,
    response: Response,
    questionnaire: Questionnaire,
    section: str,
    state: str,
    actor: str,
    note: str = "",
) -> SectionVerification:
    """Append a verification of one section (the caller commits; the lifecycle's `verify` does,
    with what the plugins record of it)."""
    note = (note or "").strip()
    if state not in STATES or len(note) > NOTE_LIMIT or not can_verify(response):
        raise CannotVerify(state)
    if section not in {s.id for s in questionnaire.sections(include_staff=True)}:
        raise CannotVerify(section)
    row = SectionVerification(
        response_id=response.id, section=section, state=state, actor=actor, note=note or None
    )
    session.add(row)
    return row


def history(session: Session, response_id: int) -> list[Mark]:
    """Every verification of the response, oldest first."""
    query = select(SectionVerification).where(SectionVerification.response_id == response_id)
    return [_mark(row) for row in session.scalars(query.order_by(SectionVerification.id))]


def current(session: Session, response_id: int) -> dict[str, Mark]:
    """The newest verification of each section of the response."""
    return {mark.section: mark for mark in history(session, response_id)}


def current_states(session: Session, response_ids: list[int]) -> dict[int, dict[str, str]]:
    """For many responses at once: response id → section → current state. The ids (integers)
    are written into the SQL rather than bound one by one: psycopg splits a query at each of a
    thousand parameters, several times the cost of the query (an export asks per batch)."""
    found: dict[int, dict[str, str]] = {}
    if not response_ids:
        return found
    ids = bindparam("ids", [int(i) for i in response_ids], expanding=True, literal_execute=True)
    query = (
        select(SectionVerification.response_id, SectionVerification.section,
               SectionVerification.state)
        .where(SectionVerification.response_id.in_(ids))
        .order_by(SectionVerification.id)
    )  # fmt: skip
    for response_id, section, state in session.execute(query):
        found.setdefault(response_id, {})[section] = state
    return found


def _mark(row: SectionVerification) -> Mark:
    return Mark(row.section, row.state, row.actor, row.at, row.note)
