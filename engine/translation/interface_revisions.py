"""Revisions of the interface catalogues: each text the respondent's pages were given, kept.

A language's catalogue (`questionnaires/interface/<lang>.po`) is stored whole, with a number
per language, each time it changes: when a process first serves it
(engine.translation.recorded_catalogues),
at `kompass db upgrade` and when `kompass translations import|review` writes it. The app serves
only recorded revisions, and rows are never changed or deleted (database triggers), so the
revision in force at a moment is the newest one recorded by then.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po
from sqlalchemy import Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column

from engine.app.db import Base, UTCDateTime, utcnow

FILES, IMPORT, REVIEW = "files", "import", "review"  # where a revision came from
ATTEMPTS = 3  # another process may take the next number; then look again


class InterfaceRevision(Base):
    __tablename__ = "interface_revisions"
    __table_args__ = (UniqueConstraint("language", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(35))
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = deferred(mapped_column(Text))
    origin: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RevisionRefused(ValueError):
    """The text cannot be read as a gettext catalogue, so it never becomes a revision."""


@dataclass(frozen=True)
class Kept:
    revision: InterfaceRevision
    new: bool


def check(text: bytes) -> Catalog:
    """The catalogue `text` holds; RevisionRefused when a line cannot be read."""
    try:
        text.decode("utf-8")  # kept as text: a catalogue in another encoding is refused
        return read_po(BytesIO(text), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise RevisionRefused(str(exc)[:300]) from exc


def digest(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def record(session: Session, language: str, text: bytes, origin: str) -> Kept:
    """The revision holding `text`: the newest one if it holds it already, else a new one
    (committed). RevisionRefused when the text is no catalogue."""
    check(text)
    for _ in range(ATTEMPTS):
        newest_revision = newest(session, language)
        if newest_revision is not None and newest_revision.sha256 == digest(text):
            return Kept(newest_revision, new=False)
        try:
            return Kept(_insert(session, language, text, origin, newest_revision), new=True)
        except IntegrityError:
            session.rollback()
    raise RevisionRefused(f"no revision number was free after {ATTEMPTS} attempts")


def _insert(session, language, text: bytes, origin: str, previous) -> InterfaceRevision:
    revision = InterfaceRevision(
        language=language, number=previous.number + 1 if previous else 1, sha256=digest(text),
        text=text.decode("utf-8"), origin=origin, recorded_at=utcnow(),
    )  # fmt: skip
    session.add(revision)
    session.commit()
    return revision


def _query(language: str):
    return select(InterfaceRevision).where(InterfaceRevision.language == language)


def newest(session: Session, language: str) -> InterfaceRevision | None:
    query = _query(language).order_by(InterfaceRevision.number.desc()).limit(1)
    return session.scalars(query).first()


def history(session: Session, language: str) -> list[InterfaceRevision]:
    """Every revision of a language, oldest first (texts loaded only when read)."""
    return list(session.scalars(_query(language).order_by(InterfaceRevision.number)))


def find(session: Session, language: str, number: int) -> InterfaceRevision | None:
    return session.scalars(_query(language).where(InterfaceRevision.number == number)).first()


def in_force(session: Session, language: str, moment: datetime) -> InterfaceRevision | None:
    """The newest revision recorded at or before `moment`: the one pages were given then
    (for `RECHECK_SECONDS` after it, a process may still have given the one before)."""
    query = _query(language).where(InterfaceRevision.recorded_at <= moment)
    return session.scalars(query.order_by(InterfaceRevision.number.desc()).limit(1)).first()


def languages(session: Session) -> list[str]:
    query = select(InterfaceRevision.language).distinct().order_by(InterfaceRevision.language)
    return list(session.scalars(query))
