"""The check every API route makes: a token in the Authorization header (Bearer, or as the
password of Basic, which Excel and Power BI send), valid, in the route's scope, its owner still
allowed, within its rate limit. A refusal is a JSON error in OData's shape
(`{"error": {"code", "message"}}`); every use and every refusal of a known token is audited by the
token's public id, never its secret."""

from functools import wraps

from flask import current_app, g, jsonify, request

from api.tokens import store
from auth.staff import audit
from engine.app.context import db_session
from engine.app.db import utcnow

USE = "api.use"
REFUSED = "api.refused"
MESSAGES = {
    "token_missing": (401, "Send a Kompass API token: 'Authorization: Bearer <token>'."),
    "token_invalid": (401, "The API token is not valid."),
    "token_revoked": (401, "The API token has been revoked. Make a new one in Kompass."),
    "token_expired": (401, "The API token has expired. Make a new one in Kompass."),
    "wrong_scope": (403, "The API token's scope does not cover this data."),
    "not_allowed": (403, "The token's owner no longer has a role that may read this data."),
    "rate_limited": (429, "Too many requests with this token: wait and try again."),
}
CHALLENGES = ('Bearer realm="Kompass"', 'Basic realm="Kompass"')


def presented() -> str | None:
    """The token text of the request's Authorization header, Bearer or Basic."""
    given = request.authorization
    if given is None:
        return None
    return given.token if given.type == "bearer" else given.password


def token_required(scope: str):
    """Runs the view with the token's owner as its first argument, or answers the refusal."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            session = db_session()
            limit = current_app.config["KOMPASS_API_REQUESTS_PER_MINUTE"]
            try:
                token, owner = store.use(session, presented(), scope, utcnow(), limit)
            except store.Refused as refusal:
                return refused(refusal)
            audit.record(session, USE, owner, token=token.public_id, endpoint=request.endpoint)
            g.api_token = token
            return view(owner, *args, **kwargs)

        return wrapper

    return decorate


def refused(refusal: store.Refused):
    status, message = MESSAGES[refusal.code]
    _audit_refusal(refusal.code)
    response = error(status, refusal.code, message)
    if status == 401:
        response.headers.setlist("WWW-Authenticate", list(CHALLENGES))
    if refusal.retry_after is not None:
        response.headers["Retry-After"] = str(refusal.retry_after)
    return response


def error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _audit_refusal(code: str) -> None:
    """A refusal of a token that exists, by its public id; a flood of 429s is not written."""
    parsed = store.secrets.parse(presented() or "")
    if parsed is None or code in {"token_missing", "token_invalid", "rate_limited"}:
        return
    audit.record(db_session(), REFUSED, None, username=f"(token {parsed.public_id})",
                 token=parsed.public_id, reason=code, endpoint=request.endpoint)  # fmt: skip
