"""Login codes (the plugin's other tables: `throttle_model.py`, `server_session_model.py`)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from auth.people.models import Person
from engine.app.db import Base, UTCDateTime


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
    questionnaire_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    """The questionnaire the code leads to (None: the default, `ACTIVE_QUESTIONNAIRE`)."""
    person: Mapped[Person] = relationship(
        backref=backref("codes", order_by="LoginCode.id", cascade="all, delete-orphan")
    )

    def status(self, now: datetime) -> str:
        """'valid', 'expired', 'replaced' or 'submitted'."""
        if self.closed_reason:
            return self.closed_reason
        return "valid" if self.valid_from <= now < self.valid_to else "expired"
