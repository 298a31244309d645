"""Staff log-in: user name and password, then a code for users with a second factor; with
lockout (wrong codes count under the account, like wrong passwords); every failure looks the
same."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth.code_login import throttle
from auth.staff import passwords, second_factor
from auth.staff.models import User
from engine.app.db import utcnow


@dataclass(frozen=True)
class Policy:
    secret: str
    user_limit: throttle.Limit
    client_limit: throttle.Limit
    cost: str

    @classmethod
    def from_config(cls, config: dict) -> "Policy":
        lock = timedelta(minutes=config["KOMPASS_LOGIN_LOCK_MINUTES"])
        return cls(
            secret=config["SECRET_KEY"],
            user_limit=throttle.Limit(config["KOMPASS_LOGIN_MAX_FAILURES"], lock),
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
    allowed = throttle.reserve(session, client_key, policy.client_limit, now)
    if user is not None:
        allowed = throttle.reserve(session, user_key(policy.secret, user), policy.user_limit, now) \
            and allowed  # fmt: skip
    session.commit()
    correct = passwords.verify(user.password_hash if user else None, password, policy.cost)
    if not (user and correct and allowed and user.active):
        return None
    throttle.refund(session, client_key)
    if passwords.needs_rehash(user.password_hash, policy.cost):
        user.password_hash = passwords.hash_password(password, policy.cost)
    if user.totp_enabled:  # the account's count stays until the second factor is proved too
        throttle.refund(session, user_key(policy.secret, user))
    else:
        finish(session, user, policy)
    session.commit()
    return user


def check_code(
    session: Session, user: User, code: str, policy: Policy, recovery: bool = False
) -> str | None:
    """The kind of code ("totp", or "recovery" if allowed) when it is right and the account is
    not locked, else None. Counted under the account before it is checked, as passwords are."""
    key = user_key(policy.secret, user)
    allowed = throttle.reserve(session, key, policy.user_limit, utcnow())
    session.commit()
    method = _used_code(session, user, second_factor.normalise(code), policy, recovery) \
        if allowed else None  # fmt: skip
    if method:
        throttle.refund(session, key)
    session.commit()
    return method


def _used_code(session: Session, user: User, code: str, policy: Policy, recovery: bool):
    if second_factor.use_totp(session, user, code):
        return "totp"
    if recovery and second_factor.use_recovery_code(session, user, code, policy.secret):
        return "recovery"
    return None


def finish(session: Session, user: User, policy: Policy) -> None:
    """Every factor is proved: forget the account's failures, note the log-in."""
    throttle.clear(session, user_key(policy.secret, user))
    user.last_login_at = utcnow()


def user_key(secret: str, user: User) -> str:
    """The throttle key of one staff account (its failures lock the account)."""
    return throttle.key(secret, "staff-user", str(user.id))
