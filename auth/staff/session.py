"""The logged-in staff user of this request, from the signed session cookie.

A session ends at log-out, after `STAFF_IDLE_MINUTES` without a request, and at once when the
user is deactivated or their password changes (both bump `session_epoch`).
"""

import time

from flask import current_app, g, session

from auth.staff.models import User
from engine.context import db_session

SESSION_KEY = "staff"
INTERVIEW_KEY = "interview"
_REFRESH_SECONDS = 60


def sign_in(user: User) -> None:
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = {"id": user.id, "epoch": user.session_epoch, "seen": int(time.time())}


def sign_out() -> None:
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
    ):
        sign_out()
        return None
    if now - data["seen"] > _REFRESH_SECONDS:
        session[SESSION_KEY] = {**data, "seen": now}
    return user
