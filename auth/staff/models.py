"""Tables of the staff plugin: users, their roles, recovery codes, and the append-only audit log."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.app.db import Base, UTCDateTime, utcnow

USERNAME_LONGEST = 60  # the column's size, in characters
EXTERNAL_NAME_LONGEST = 200


class User(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LONGEST), unique=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    municipality: Mapped[str | None] = mapped_column(String(4), index=True, nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The TOTP secret as it is (a code cannot be checked against a hash of it); it is set when
    # enrolment starts and counts only once a code confirmed it (`totp_enabled`).
    totp_secret: Mapped[str | None] = mapped_column(String(32), nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The user's name at the organisation's identity provider (the claim a log-in plugin maps
    # to a user, e.g. an e-mail address), trimmed and in lower case; None: no such log-in.
    external_name: Mapped[str | None] = mapped_column(
        String(EXTERNAL_NAME_LONGEST), index=True, unique=True, nullable=True
    )
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


class UserRole(Base):
    __tablename__ = "staff_user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))


class RecoveryCode(Base):
    """One unused recovery code of a user, as a keyed hash; using it deletes the row."""

    __tablename__ = "staff_recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """One thing a staff user did. Rows are never changed or deleted (database triggers)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_username: Mapped[str] = mapped_column(String(60), default="")
    actor_municipality: Mapped[str | None] = mapped_column(String(4), index=True, nullable=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    target_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
