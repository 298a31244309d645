"""Login codes under retention: deleted some days after they expired or were closed, and with
their person when the person is erased."""

from datetime import timedelta

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from auth.code_login.models import LoginCode
from auth.people.erasure import person_id_of
from engine.responses.retention import Run

CODES_DELETED = "login_codes_deleted"


def delete_codes_of(session: Session, subject: str) -> dict[str, int]:
    person_id = person_id_of(subject)
    if person_id is None:
        return {}
    result = session.execute(delete(LoginCode).where(LoginCode.person_id == person_id))
    return {CODES_DELETED: max(result.rowcount or 0, 0)}


def retention(run: Run) -> dict[str, int]:
    """Codes that expired, or were closed (replaced, submitted), more than the set days ago."""
    cutoff = run.now - timedelta(days=int(run.setting("RETENTION_CODE_DAYS")))
    statement = delete(LoginCode).where(
        or_(LoginCode.valid_to < cutoff, LoginCode.closed_at < cutoff)
    )
    return {CODES_DELETED: max(run.session.execute(statement).rowcount or 0, 0)}
