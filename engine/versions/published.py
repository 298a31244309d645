"""Published questionnaire versions: frozen in the database, never changed afterwards."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, String, UniqueConstraint, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column

from engine.app.db import Base, JSONDocument, UTCDateTime, utcnow
from engine.questionnaire import codebook, schema
from engine.questionnaire.loaded import Questionnaire
from engine.versions import audio_store, frozen


class PublishedVersion(Base):
    """One version of a questionnaire. `content` is None while a version is only reserved
    (a migration found responses to it before versions were frozen); it is filled once."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    files: Mapped[dict | None] = mapped_column(JSONDocument, nullable=True)
    content: Mapped[dict | None] = deferred(mapped_column(JSONDocument, nullable=True))
    json_schema: Mapped[dict | None] = deferred(mapped_column(JSONDocument, nullable=True))
    codebook: Mapped[dict | None] = deferred(mapped_column(JSONDocument, nullable=True))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_published(self) -> bool:
        return self.fingerprint is not None


class PublishedVersionChanged(Exception):
    """The version is already published with other content; a new version is needed."""


@dataclass(frozen=True)
class Publication:
    row: PublishedVersion
    new: bool


def find(session: Session, questionnaire_id: str, version: int) -> PublishedVersion | None:
    query = select(PublishedVersion).where(
        PublishedVersion.questionnaire_id == questionnaire_id, PublishedVersion.version == version
    )
    return session.scalars(query).first()


def published_versions(session: Session, questionnaire_id: str | None = None) -> list:
    query = select(PublishedVersion).where(PublishedVersion.fingerprint.is_not(None))
    if questionnaire_id is not None:
        query = query.where(PublishedVersion.questionnaire_id == questionnaire_id)
    order = (PublishedVersion.questionnaire_id, PublishedVersion.version)
    return list(session.scalars(query.order_by(*order)))


def questionnaire_ids(session: Session) -> list[str]:
    """Every questionnaire with a published version, by id."""
    query = select(PublishedVersion.questionnaire_id).where(
        PublishedVersion.fingerprint.is_not(None)
    )
    return sorted(set(session.scalars(query.distinct())))


_NEWEST = (
    select(PublishedVersion.id)
    .where(
        PublishedVersion.questionnaire_id == bindparam("questionnaire_id"),
        PublishedVersion.fingerprint.is_not(None),
    )
    .order_by(PublishedVersion.version.desc())
    .limit(1)
)  # built once: every page under /<lang>/ asks it


STAMP = "SELECT count(*), max(id) FROM questionnaire_versions WHERE fingerprint IS NOT NULL"
"""What is published, in brief: a published version is never changed or removed, so every
publication (a new row, or a reserved one filled) changes it. The app's pool runs it as its ping
(`engine.app.db.make_engine`), so each transaction knows it without a statement of its own."""


def newest_id(session: Session, questionnaire_id: str) -> int | None:
    """The id of the newest published version, the one new respondents are given."""
    return session.scalar(_NEWEST, {"questionnaire_id": questionnaire_id})


def publish(session: Session, questionnaire: Questionnaire, directory: Path) -> Publication:
    """Freeze a loaded version; publishing the same content again changes nothing."""
    bundle = frozen.freeze(questionnaire)
    values = {
        "fingerprint": frozen.fingerprint(bundle),
        "files": frozen.file_hashes(directory),
        "content": bundle,
        "json_schema": _kept(questionnaire, "json schema", schema.build),
        "codebook": _kept(questionnaire, "codebook", codebook.build),
        "published_at": utcnow(),
    }
    existing = find(session, questionnaire.id, questionnaire.version)
    if existing is None:
        return _insert(session, questionnaire, values)
    return _fill_reserved(session, existing, values, questionnaire)


def _kept(questionnaire: Questionnaire, name: str, build) -> dict:
    """What `build` makes of a loaded version, made once per loaded version: publishing the same
    files into another database (a test's, a restore's) does not build it again."""
    return questionnaire.memo.get((name,), lambda: build(questionnaire))


def _insert(session: Session, questionnaire: Questionnaire, values: dict) -> Publication:
    row = PublishedVersion(
        questionnaire_id=questionnaire.id, version=questionnaire.version, **values
    )
    _add_audio(session, questionnaire)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return _fill_reserved(
            session, find(session, questionnaire.id, questionnaire.version), values, questionnaire
        )
    return Publication(row, new=True)


def _fill_reserved(
    session: Session, row: PublishedVersion, values: dict, questionnaire: Questionnaire
) -> Publication:
    """Fill a reserved row in one statement, so two publishers cannot both write it; its audio
    is stored in the same transaction, only when this statement publishes it."""
    result = session.execute(
        update(PublishedVersion)
        .where(PublishedVersion.id == row.id, PublishedVersion.fingerprint.is_(None))
        .values(**values)
    )
    if result.rowcount == 1:
        _add_audio(session, questionnaire)
    session.commit()
    session.refresh(row)
    if result.rowcount == 1:
        return Publication(row, new=True)
    if row.fingerprint != values["fingerprint"]:
        raise PublishedVersionChanged(row.questionnaire_id, row.version)
    return Publication(row, new=False)


def _add_audio(session: Session, questionnaire: Questionnaire) -> None:
    audio_store.add(session, questionnaire.id, questionnaire.version, questionnaire.audio)
