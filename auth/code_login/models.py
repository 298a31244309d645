"""Tables owned by the code-login plugin."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duf: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    codes: Mapped[list["LoginCode"]] = relationship(
        back_populates="person", order_by="LoginCode.id", cascade="all, delete-orphan"
    )

    @property
    def subject(self) -> str:
        return f"person:{self.id}"


class LoginCode(Base):
    __tablename__ = "login_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    masked: Mapped[str] = mapped_column(String(12))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime)
    first_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    person: Mapped[Person] = relationship(back_populates="codes")

    def status(self, now: datetime) -> str:
        """'valid', 'expired', 'replaced' or 'submitted'."""
        if self.closed_reason:
            return self.closed_reason
        return "valid" if self.valid_from <= now < self.valid_to else "expired"


class LoginThrottle(Base):
    """Failed log-ins per key (a keyed hash of a DUF number or client address, never the value)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
