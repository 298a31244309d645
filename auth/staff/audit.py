"""The audit log: written for every staff action that touches a person, a user or a log-in."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.staff.models import AuditEvent, User
from engine.export.csvsafe import SafeWriter

ACTIONS = (
    "staff.login", "staff.login_failed", "staff.logout", "staff.password_changed",
    "person.search", "person.view", "code.create", "code.print", "interview.open",
    "user.create", "user.create_admin", "user.update", "user.deactivate", "user.password_reset",
    "role.add", "role.remove", "audit.export", "response.reopen", "export", "statistics.view",
    "mapping.read", "person.list", "mapping.pdf", "mapping.cv", "questionnaire.publish",
    "person.erase_check", "person.erase", "retention.run",
    "interview.save", "interview.submit", "audit.view", "user.list", "user.view",
    "persons.import", "demo.load", "staff.totp_enabled", "staff.totp_disabled",
    "staff.recovery_codes_new", "staff.totp_reset", "staff.recovery_code_used", "staff.totp_failed",
    "respondent.login", "respondent.submit",
    "verification.set", "interface.import", "interface.review",
    "api.use", "api.refused", "api_token.create", "api_token.revoke", "api.feed",
)  # fmt: skip
COMMAND_LINE = "(command line)"  # the actor name of events recorded by `kompass` commands
RESPONDENT = "(respondent)"  # the actor name of a respondent's own log-in and submission
EXPORT_COLUMNS = (
    "id", "at", "actor_username", "actor_municipality", "action", "person_id",
    "target_user_id", "details",
)  # fmt: skip


def record(session: Session, action: str, actor: User | None, *args, **kwargs) -> None:
    """Append one event (as `add`) and commit it at once, so it is kept whatever happens next."""
    add(session, action, actor, *args, **kwargs)
    session.commit()


def add(
    session: Session,
    action: str,
    actor: User | None,
    person_id: int | None = None,
    target_user_id: int | None = None,
    username: str | None = None,
    account_municipality: str | None = None,
    **details: object,
) -> None:
    """Append one event to `session`'s transaction: it is stored with what the caller commits.

    Without an actor, `username` and `account_municipality` say whose account it concerns.
    """
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            actor_username=actor.username if actor else (username or ""),
            actor_municipality=actor.municipality if actor else account_municipality,
            action=action,
            person_id=person_id,
            target_user_id=target_user_id,
            details=details,
        )
    )


@dataclass(frozen=True)
class Filter:
    municipality: str | None = None
    action: str | None = None
    username: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def query(filters: Filter, limit: int | None = None):
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.municipality:
        statement = statement.where(AuditEvent.actor_municipality == filters.municipality)
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.username:
        statement = statement.where(AuditEvent.actor_username == filters.username)
    if filters.since:
        statement = statement.where(AuditEvent.at >= filters.since)
    if filters.until:
        statement = statement.where(AuditEvent.at < filters.until)
    return statement.limit(limit) if limit else statement


def export_csv(session: Session, filters: Filter, out: TextIO) -> int:
    """Write the events as CSV, streamed in batches; returns how many were written."""
    writer = SafeWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for event in _stream(session, filters):
        writer.writerow(_row(event))
        count += 1
    return count


def _stream(session: Session, filters: Filter) -> Iterator[AuditEvent]:
    yield from session.scalars(query(filters).execution_options(yield_per=500))


def _row(event: AuditEvent) -> list:
    return [
        event.id,
        event.at.isoformat(),
        event.actor_username,
        event.actor_municipality or "",
        event.action,
        event.person_id or "",
        event.target_user_id or "",
        ";".join(f"{k}={v}" for k, v in sorted(event.details.items())),
    ]
