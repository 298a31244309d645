"""Tables of the person registry."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, cast, literal
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.app.db import Base, UTCDateTime, utcnow

SUBJECT_PREFIX = "person:"
MOTTAK = "mottak"
BOSATT = "bosatt"
RESIDENCES = (MOTTAK, BOSATT)
GENDERS = ("kvinne", "mann", "annet")


class ReceptionCentre(Base):
    __tablename__ = "reception_centres"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    municipality: Mapped[str] = mapped_column(String(4), index=True)


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duf: Mapped[str] = mapped_column(String(12), unique=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    gender: Mapped[str | None] = mapped_column(String(10), nullable=True)
    citizenship: Mapped[str | None] = mapped_column(String(20), nullable=True)
    municipality: Mapped[str | None] = mapped_column(String(4), index=True, nullable=True)
    residence: Mapped[str | None] = mapped_column(String(10), nullable=True)
    reception_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("reception_centres.id"), nullable=True
    )
    settled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reception_centre: Mapped[ReceptionCentre | None] = relationship()

    @hybrid_property
    def subject(self) -> str:
        """How the engine names this person's responses: no personal data."""
        return f"{SUBJECT_PREFIX}{self.id}"

    @subject.inplace.expression
    @classmethod
    def _subject_expression(cls):
        """The same name in SQL, to join responses to persons."""
        return literal(SUBJECT_PREFIX, String) + cast(cls.id, String)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age(self, today: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
