"""Staff log-in: user name and password, with lockout; every failure looks the same."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth import throttle
from auth.staff import passwords
from auth.staff.models import User
from engine.db import utcnow


@dataclass(frozen=True)
class Policy:
    secret: str
    max_failures: int
    lock: timedelta
    client_limit: throttle.Limit
    cost: str

    @classmethod
    def from_config(cls, config: dict) -> "Policy":
        lock = timedelta(minutes=config["KOMPASS_LOGIN_LOCK_MINUTES"])
        return cls(
            secret=config["SECRET_KEY"],
            max_failures=config["KOMPASS_LOGIN_MAX_FAILURES"],
            lock=lock,
            client_limit=throttle.Limit(config["KOMPASS_CLIENT_MAX_FAILURES"], lock),
            cost=config["KOMPASS_PASSWORD_HASH_COST"],
        )


def find_user(session: Session, username: str) -> User | None:
    query = select(User).where(func.lower(User.username) == username.strip().lower())
    return session.scalars(query).first()


def authenticate(
    session: Session, username: str, password: str, client: str, policy: Policy
) -> User | None:
    """The user if the password is right and the account active and not locked, else None."""
    now = utcnow()
    client_key = throttle.key(policy.secret, "staff-client", client)
    user = find_user(session, username)
    correct = passwords.verify(user.password_hash if user else None, password, policy.cost)
    blocked = throttle.is_locked(session, client_key, now) or (
        user is not None and user.locked_until is not None and user.locked_until > now
    )
    if user and correct and user.active and not blocked:
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        session.commit()
        return user
    throttle.record_failure(session, client_key, policy.client_limit, now)
    if user is not None and not correct:
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failures:
            user.failed_logins, user.locked_until = 0, now + policy.lock
    session.commit()
    return None
