"""The table behind `auth.code_login.server_sessions`: owned by code_login (its migration
a0002), used by respondent and staff log-in."""

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.app.db import Base, UTCDateTime


class ServerSession(Base):
    """One log-in; the cookie holds a random token, this row only its hash."""

    __tablename__ = "server_sessions"
    __table_args__ = (Index("ix_server_sessions_kind_subject", "kind", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
