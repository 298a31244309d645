"""The logged-in staff user of this request, from the signed cookie and its server session.

A session ends at log-out, after `STAFF_IDLE_MINUTES` without a request, after
`STAFF_SESSION_HOURS` however busy, and at once when the user is deactivated or their password
changes (both bump `session_epoch`; so does a change of the second factor). Ended sessions are
kept in `auth.code_login.server_sessions`, so a cookie copied before any of these is refused.

A user with a second factor is not signed in by the password: `begin_second_step` notes the
account in the session for `PENDING_SECONDS`, and only the code page reads that note.

A log-in through an identity provider (a plugin) is noted as `via`: what the plugin needs at
log-out and whether the provider proved a second factor; it stays through the code step.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, session

from auth.code_login import server_sessions
from auth.staff.models import User
from engine.app.context import db_session

SESSION_KEY = "staff"
INTERVIEW_KEY = "interview"
PENDING_KEY = "staff_pending"
PENDING_SECONDS = 300
KIND = "staff"
_REFRESH_SECONDS = 60


@dataclass(frozen=True)
class Pending:
    """A log-in whose password was right and whose second factor is still to come."""

    user: User
    next: str | None
    via: dict | None = None


def sign_in(user: User, via: dict | None = None) -> None:
    """A fresh session (the one this browser had, if any, ends)."""
    _end_server_session()
    session.clear()
    session.permanent = True
    token = server_sessions.start(db_session(), KIND, str(user.id), _lifetime())
    session[SESSION_KEY] = {
        "id": user.id, "epoch": user.session_epoch, "seen": int(time.time()), "sid": token,
        "via": via,
    }  # fmt: skip


def begin_second_step(user: User, next_path: str | None, via: dict | None = None) -> None:
    """Password done, code pending: a fresh session that is not signed in."""
    _end_server_session()
    session.clear()
    session[PENDING_KEY] = {
        "id": user.id, "epoch": user.session_epoch, "next": next_path,
        "until": int(time.time()) + PENDING_SECONDS, "via": via,
    }  # fmt: skip


def pending_login() -> Pending | None:
    """The pending log-in, unless it expired or the account changed since the password."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    user = db_session().get(User, data.get("id"))
    if (
        user is None
        or not user.active
        or not user.totp_enabled
        or user.session_epoch != data.get("epoch")
        or time.time() > data.get("until", 0)
    ):
        session.pop(PENDING_KEY, None)
        return None
    return Pending(user, data.get("next"), data.get("via"))


def signed_in_via() -> dict | None:
    """How the signed-in user logged in through an identity provider, or None."""
    data = session.get(SESSION_KEY)
    return data.get("via") if isinstance(data, dict) else None


def second_factor_by_provider() -> bool:
    """The identity provider the user logged in through asserted a second factor."""
    via = signed_in_via()
    return isinstance(via, dict) and via.get("second_factor") is True


def sign_out() -> None:
    _end_server_session()
    session.pop(PENDING_KEY, None)
    session.pop(SESSION_KEY, None)
    session.pop(INTERVIEW_KEY, None)
    g.pop("staff_user", None)


def current_user() -> User | None:
    if "staff_user" not in g:
        g.staff_user = _load()
    return g.staff_user


def _load() -> User | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    user = db_session().get(User, data.get("id"))
    idle_limit = current_app.config["KOMPASS_STAFF_IDLE_MINUTES"] * 60
    now = int(time.time())
    if (
        user is None
        or not user.active
        or user.session_epoch != data.get("epoch")
        or now - data.get("seen", 0) > idle_limit
        or server_sessions.check(db_session(), KIND, data.get("sid"), _lifetime()) != str(user.id)
    ):
        sign_out()
        return None
    if now - data["seen"] > _REFRESH_SECONDS:
        session[SESSION_KEY] = {**data, "seen": now}
    return user


def _lifetime() -> server_sessions.Lifetime:
    config = current_app.config
    return server_sessions.Lifetime(
        idle=timedelta(minutes=config["KOMPASS_STAFF_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["KOMPASS_STAFF_SESSION_HOURS"]),
    )


def _end_server_session() -> None:
    data = session.get(SESSION_KEY)
    if isinstance(data, dict):
        server_sessions.end(db_session(), data.get("sid"))
