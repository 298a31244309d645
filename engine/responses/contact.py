"""Contact details a subject chose to add to the documents made for them (the CV): a phone
number and an e-mail address, one row per subject, none unless they add it.

Retention and erasure delete the row with the subject's responses (`retention.Remover`).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.app.db import Base, UTCDateTime, utcnow

CONTACTS_DELETED = "contacts_deleted"
PHONE_LENGTH, EMAIL_LENGTH = 30, 254
PHONE = re.compile(r"\+?[0-9 ().-]+")
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
PHONE_DIGITS = range(5, 16)  # E.164 has at most 15 digits


class SubjectContact(Base):
    __tablename__ = "subject_contacts"

    subject: Mapped[str] = mapped_column(String(100), primary_key=True)
    phone: Mapped[str] = mapped_column(String(PHONE_LENGTH), default="")
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str


def problems(phone: str, email: str) -> dict[str, str]:
    """What is wrong with typed contact details, by field: "missing", "phone" or "email"."""
    found = {}
    if not phone and not email:
        found["phone"] = "missing"
    if phone and not (_valid_phone(phone)):
        found["phone"] = "phone"
    if email and (len(email) > EMAIL_LENGTH or not EMAIL.fullmatch(email)):
        found["email"] = "email"
    return found


def _valid_phone(phone: str) -> bool:
    digits = sum(char.isdigit() for char in phone)
    return len(phone) <= PHONE_LENGTH and bool(PHONE.fullmatch(phone)) and digits in PHONE_DIGITS


def find(session: Session, subject: str) -> Contact | None:
    row = session.get(SubjectContact, subject)
    return Contact(row.phone, row.email) if row else None


def put(session: Session, subject: str, contact: Contact) -> None:
    """Store `contact` for `subject` (checked by `problems` first); the caller commits."""
    session.merge(SubjectContact(subject=subject, phone=contact.phone, email=contact.email,
                                 updated_at=utcnow()))  # fmt: skip


def remove(session: Session, subject: str) -> int:
    """Delete the subject's contact details; the caller commits. Returns the rows deleted."""
    result = session.execute(delete(SubjectContact).where(SubjectContact.subject == subject))
    return max(result.rowcount or 0, 0)
