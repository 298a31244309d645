"""The bytes of published audio clips, stored with the version at publish and served by hash.

Rows are written only in the transaction that publishes a version, so a draft's clips are never
in the table, and a published version's clips never change.
"""

from sqlalchemy import Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.app.db import Base
from engine.definition.audio import Index


class StoredClip(Base):
    __tablename__ = "questionnaire_audio"

    questionnaire_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)


def add(session: Session, questionnaire_id: str, version: int, index: Index) -> None:
    """Add the clips of a version being published (in the caller's transaction)."""
    present = set(session.scalars(_hashes(questionnaire_id, version)))
    clips = {c.hash: c for by_path in index.values() for c in by_path.values()}
    for digest, clip in sorted(clips.items()):
        if digest not in present and clip.file is not None:
            session.add(StoredClip(questionnaire_id=questionnaire_id, version=version,
                                   hash=digest, content_type=clip.type,
                                   data=clip.file.read_bytes()))  # fmt: skip


def _hashes(questionnaire_id: str, version: int):
    return select(StoredClip.hash).where(
        StoredClip.questionnaire_id == questionnaire_id, StoredClip.version == version
    )


def find(session: Session, questionnaire_id: str, version: int, digest: str) -> StoredClip | None:
    return session.get(StoredClip, (questionnaire_id, version, digest))
