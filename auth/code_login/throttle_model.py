"""The table behind `auth.code_login.throttle`: owned by code_login (its migration a0001),
used by respondent and staff log-in."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.app.db import Base, UTCDateTime, utcnow


class LoginThrottle(Base):
    """Failed log-ins per key (a keyed hash of a DUF number, user name or client address)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
