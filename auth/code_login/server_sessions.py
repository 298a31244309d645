"""Log-in sessions kept on the server, so a session can end for good.

The signed cookie holds a random token; the database holds its hash, the subject (a person or
staff user), when it began and was last used, and when it ended. A copied cookie is worth
nothing once its session ended: at log-out, at a new code, after the idle limit and after the
absolute lifetime, however busy the session is. Every change is one UPDATE.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from auth.code_login.server_session_model import ServerSession
from engine.app.db import utcnow

_TABLE = ServerSession.__table__
_REFRESH = timedelta(seconds=60)  # last use is written at most once a minute


@dataclass(frozen=True)
class Lifetime:
    idle: timedelta
    absolute: timedelta


def start(db: Session, kind: str, subject: str, lifetime: Lifetime) -> str:
    """A new session; returns the token for the cookie (never stored).

    Sessions of this kind past their absolute lifetime can never be used again, so they go.
    """
    token, now = secrets.token_urlsafe(32), utcnow()
    db.execute(
        delete(_TABLE).where(_TABLE.c.kind == kind, _TABLE.c.created_at < now - lifetime.absolute)
    )
    db.execute(
        _TABLE.insert().values(
            token_hash=_hash(token), kind=kind, subject=subject, created_at=now, last_seen_at=now
        )
    )
    db.commit()
    return token


# Built once: a page asks this on every request.
SESSION = select(_TABLE.c.id, _TABLE.c.subject, _TABLE.c.created_at, _TABLE.c.last_seen_at).where(
    _TABLE.c.token_hash == bindparam("token_hash"),
    _TABLE.c.kind == bindparam("kind"),
    _TABLE.c.ended_at.is_(None),
)


def check(
    db: Session, kind: str, token: object, lifetime: Lifetime, query=SESSION, **params
) -> str | None:
    """The subject of the live session with this token, else None (and it is ended).

    `query` may narrow `SESSION` further, with `params` for its own bound values.
    """
    if not isinstance(token, str):
        return None
    row = db.execute(query, {"token_hash": _hash(token), "kind": kind, **params}).first()
    now = utcnow()
    if row is None:
        return None
    if now - row.last_seen_at > lifetime.idle or now - row.created_at > lifetime.absolute:
        end(db, token)
        return None
    if now - row.last_seen_at > _REFRESH:
        db.execute(_live(_TABLE.c.id == row.id).values(last_seen_at=now))
        db.commit()
    return row.subject


def end(db: Session, token: object) -> None:
    """End the session with this token (log-out, or a fresh session replacing it)."""
    if isinstance(token, str):
        db.execute(_live(_TABLE.c.token_hash == _hash(token)).values(ended_at=utcnow()))
        db.commit()


def end_all(db: Session, kind: str, subject: str) -> None:
    """End every session of one subject, in the caller's transaction."""
    db.execute(_live(_TABLE.c.kind == kind, _TABLE.c.subject == subject).values(ended_at=utcnow()))


def _live(*conditions):
    return update(_TABLE).where(*conditions, _TABLE.c.ended_at.is_(None))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
