"""Lock a DUF number, and slow a client, after repeated failed log-ins.

Keys are keyed hashes, so the table holds neither DUF numbers nor IP addresses. The state lives in
the database, so it holds across processes and workers.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from auth.code_login.throttle_model import LoginThrottle


@dataclass(frozen=True)
class Limit:
    max_failures: int
    lock: timedelta


def key(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def reserve(session: Session, throttle_key: str, limit: Limit, now: datetime) -> bool:
    """Count this attempt before it is checked; False when the key is locked.

    One statement (an upsert) reads and changes the counter, so concurrent attempts cannot all
    pass a check made before a slow hash: the attempt after `max_failures` in a window is
    refused and locks the key for `limit.lock`. A successful attempt gives its count back
    (`refund`, or `clear` for the key that was proved right).
    """
    table = LoginThrottle.__table__
    locked = table.c.locked_until > now
    expired = table.c.window_start < now - limit.lock
    counted = case((expired, 1), else_=table.c.failures + 1)
    over = counted > limit.max_failures
    statement = _insert(session)(table).values(
        key=throttle_key, failures=1, window_start=now, locked_until=None
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": case((locked, table.c.failures), (over, 0), else_=counted),
            "window_start": case(
                (locked, table.c.window_start),
                (or_(expired, over), now),
                else_=table.c.window_start,
            ),
            "locked_until": case(
                (locked, table.c.locked_until),
                (over, now + limit.lock),
                else_=table.c.locked_until,
            ),
        },
    ).returning(table.c.locked_until)
    locked_until = session.execute(statement).scalar_one()
    return locked_until is None or locked_until <= now


def is_locked(session: Session, throttle_key: str, now: datetime) -> bool:
    """Whether the key is locked now, without counting an attempt (a log-in proved elsewhere)."""
    table = LoginThrottle.__table__
    locked_until = session.execute(
        select(table.c.locked_until).where(table.c.key == throttle_key)
    ).scalar()
    return locked_until is not None and locked_until > now


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def refund(session: Session, throttle_key: str) -> None:
    """Give back the count of an attempt that succeeded."""
    table = LoginThrottle.__table__
    session.execute(
        update(table)
        .where(table.c.key == throttle_key, table.c.failures > 0)
        .values(failures=table.c.failures - 1)
    )


def clear(session: Session, throttle_key: str) -> None:
    """Forget the key's failures and any lock (a proved-right DUF number, a reset password)."""
    table = LoginThrottle.__table__
    session.execute(delete(table).where(table.c.key == throttle_key))
