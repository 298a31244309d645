"""Lock a DUF number, and slow a client, after repeated failed log-ins.

Keys are keyed hashes, so the table holds neither DUF numbers nor IP addresses. The state lives in
the database, so it holds across processes and workers.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from auth.throttle_model import LoginThrottle


@dataclass(frozen=True)
class Limit:
    max_failures: int
    lock: timedelta


def key(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def is_locked(session: Session, throttle_key: str, now: datetime) -> bool:
    row = session.get(LoginThrottle, throttle_key)
    return bool(row and row.locked_until and row.locked_until > now)


def record_failure(session: Session, throttle_key: str, limit: Limit, now: datetime) -> None:
    row = session.get(LoginThrottle, throttle_key)
    if row is None:
        row = LoginThrottle(key=throttle_key, failures=0, window_start=now)
        session.add(row)
    if row.window_start + limit.lock < now:
        row.failures, row.window_start = 0, now
    row.failures += 1
    if row.failures >= limit.max_failures:
        row.locked_until, row.failures, row.window_start = now + limit.lock, 0, now


def clear(session: Session, throttle_key: str) -> None:
    row = session.get(LoginThrottle, throttle_key)
    if row is not None:
        session.delete(row)
