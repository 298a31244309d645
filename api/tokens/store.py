"""Make, list, revoke and use tokens. A use is one conditional UPDATE: it checks that the token
is still valid and within its rate limit and counts the request in the same statement, so
concurrent requests cannot pass a limit checked before they were counted."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.tokens import scopes, secrets
from api.tokens.models import ApiToken
from auth.staff.models import User

WINDOW = timedelta(minutes=1)


class Refused(Exception):
    """A token that may not be used now; `code` names why (see guard.MESSAGES)."""

    def __init__(self, code: str, retry_after: int | None = None):
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class Made:
    token: ApiToken
    text: str  # shown once, to the user who made it; never stored


class FormSentAgain(Exception):
    """The form that would make the token already made one."""


def create(session: Session, user: User, name: str, scope: str, expires_at: datetime,
           form_id: str | None = None) -> Made:  # fmt: skip
    """A new token of `user` (the caller checked the scope and expiry); left to commit. Raises
    FormSentAgain, its transaction rolled back, when `form_id` made a token before: the
    unique column decides, so two sendings at once make one token."""
    public_id, secret, text = secrets.new()
    token = ApiToken(public_id=public_id, secret_hash=secrets.digest(secret), user_id=user.id,
                     name=name, scope=scope, expires_at=expires_at, form_id=form_id)  # fmt: skip
    session.add(token)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        if form_id is not None and _made_by(session, form_id):
            raise FormSentAgain from exc
        raise
    return Made(token, text)


def _made_by(session: Session, form_id: str) -> bool:
    return session.scalar(select(ApiToken.id).where(ApiToken.form_id == form_id)) is not None


def owned_by(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.id.desc())))  # fmt: skip


def every(session: Session) -> list[tuple[ApiToken, User]]:
    """Every token with its owner, newest first (for a system administrator)."""
    found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                            .order_by(ApiToken.id.desc()))  # fmt: skip
    return [tuple(row) for row in found]


def revoke(session: Session, token: ApiToken, actor: User, now: datetime) -> bool:
    """Revoke `token` unless it was already; False when it was. Left to commit."""
    done = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=actor.id)
    )
    return done.rowcount == 1


def use(session: Session, text: str | None, scope: str, now: datetime, per_minute: int):
    """The token and its owner for one request in `scope`, counted; else `Refused`. Commits."""
    presented = secrets.parse(text or "")
    token = _found(session, presented)
    _check_standing(token, scope, now)
    owner = session.get(User, token.user_id)
    if owner is None or not owner.active:
        raise Refused("token_invalid")
    if not scopes.RULES[scope](owner):
        raise Refused("not_allowed")
    _count(session, token, now, per_minute)
    return token, owner


def _found(session: Session, presented: secrets.Presented | None) -> ApiToken:
    if presented is None:
        raise Refused("token_missing")
    token = session.scalar(select(ApiToken).where(ApiToken.public_id == presented.public_id))
    if token is None or not secrets.matches(presented.secret, token.secret_hash):
        raise Refused("token_invalid")
    return token


def _check_standing(token: ApiToken, scope: str, now: datetime) -> None:
    if token.revoked_at is not None:
        raise Refused("token_revoked")
    if token.expires_at <= now:
        raise Refused("token_expired")
    if token.scope != scope:
        raise Refused("wrong_scope")


def _count(session: Session, token: ApiToken, now: datetime, per_minute: int) -> None:
    table = ApiToken.__table__
    fresh = or_(table.c.window_start.is_(None), table.c.window_start <= now - WINDOW)
    counted = session.execute(
        update(table)
        .where(table.c.id == token.id, table.c.revoked_at.is_(None), table.c.expires_at > now,
               or_(fresh, table.c.window_count < per_minute))
        .values(window_start=case((fresh, now), else_=table.c.window_start),
                window_count=case((fresh, 1), else_=table.c.window_count + 1),
                last_used_at=now)
    )  # fmt: skip
    session.commit()
    if counted.rowcount == 1:
        return
    session.refresh(token)
    _check_standing(token, token.scope, now)
    waited = (token.window_start + WINDOW - now).total_seconds() if token.window_start else 1
    raise Refused("rate_limited", retry_after=max(1, int(waited) + 1))
