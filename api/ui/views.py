"""API-nøkler: a staff user makes personal tokens and revokes them; a system administrator
sees and revokes everyone's. The token's text is in one response only, never in a URL."""

from datetime import datetime

from flask import abort, current_app, make_response, redirect, render_template, request, url_for

from adminui.blueprint import requires
from adminui.i18n import lazy_gettext as _l
from api.tokens import scopes, store
from api.tokens.models import ApiToken
from api.ui import form
from api.ui.blueprint import bp
from auth.staff import access, audit
from auth.staff.models import User
from engine.app import deployment
from engine.app.context import db_session
from engine.app.db import utcnow

SCOPE_LABELS = {
    scopes.FEED: _l("Statistics feed (OData, for Excel and Power BI)"),
    scopes.MAPPINGS: _l("Mappings of the persons you can see (JSON API)"),
}


@bp.get("/api-nokler")
@requires()
def tokens_page(user):
    return _page(user, form.blank(_today()), {})


@bp.post("/api-nokler")
@requires()
def make_token(user):
    allowed = scopes.allowed(user)
    if not allowed:
        abort(403)
    longest = current_app.config["KOMPASS_API_TOKEN_LONGEST_DAYS"]
    reading = form.read(request.form, allowed, _today(), longest, deployment.time_zone())
    if reading.errors:
        return _page(user, reading.typed, reading.errors), 422
    session = db_session()
    try:
        made = store.create(session, user, reading.typed["name"], reading.typed["scope"],
                            reading.expires_at, reading.typed["form_id"])  # fmt: skip
    except store.FormSentAgain:
        return _page(user, form.blank(_today()), {}, sent_again=True), 409
    audit.add(session, "api_token.create", user, token=made.token.public_id, scope=made.token.scope)
    session.commit()
    page = render_template("api/token_made.html", made=made, labels=SCOPE_LABELS)
    answer = make_response(page)
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.post("/api-nokler/<id:token_id>/trekk-tilbake")
@requires()
def revoke_token(user, token_id: int):
    """The owner's own token, or any for a system administrator; else as if there were none."""
    session = db_session()
    token = session.get(ApiToken, token_id)
    if token is None or not _may_revoke(user, token):
        abort(404)
    if store.revoke(session, token, user, utcnow()):
        audit.add(session, "api_token.revoke", user, target_user_id=token.user_id,
                  token=token.public_id, scope=token.scope)  # fmt: skip
    session.commit()
    return redirect(url_for("api_tokens.tokens_page"))


def _may_revoke(user: User, token: ApiToken) -> bool:
    return token.user_id == user.id or access.can_manage_api_tokens(user)


def _page(user: User, typed: dict, errors: dict, sent_again: bool = False):
    session = db_session()
    everyone = store.every(session) if access.can_manage_api_tokens(user) else None
    return render_template(
        "api/tokens.html",
        own=[(token, None) for token in store.owned_by(session, user)],
        everyone=everyone,
        allowed=scopes.allowed(user),
        labels=SCOPE_LABELS,
        typed=typed,
        errors=errors,
        now=utcnow(),
        longest=current_app.config["KOMPASS_API_TOKEN_LONGEST_DAYS"],
        sent_again=sent_again,
    )


def _today():
    return datetime.now(deployment.time_zone()).date()


def menu_items(user: User) -> list[tuple[str, str]]:
    """The staff menu's link to this page, for users who may hold a token or manage them."""
    if scopes.allowed(user) or access.can_manage_api_tokens(user):
        return [(_l("API tokens"), url_for("api_tokens.tokens_page"))]
    return []
