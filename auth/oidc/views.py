"""The sign-in through the identity provider: sent there, and its answer checked and turned into
a Kompass staff session (or the code step, when the provider proved no second factor)."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from adminui.blueprint import staff_gettext, staff_locale
from adminui.views_auth import UNKNOWN_NAME, keeping_language, safe_next
from auth.code_login import throttle
from auth.oidc import flow, signin
from auth.oidc.provider import Provider
from auth.oidc.refusals import Refused
from auth.oidc.settings import EXTENSION, METHOD
from auth.staff import audit
from auth.staff import login as staff_login
from auth.staff.models import User
from auth.staff.session import begin_second_step, sign_in
from engine.app.context import db_session

bp = Blueprint("oidc", __name__, url_prefix="/admin/login/sso")
bp.before_request(staff_locale)
bp.context_processor(staff_gettext)


def provider() -> Provider:
    return current_app.extensions[EXTENSION]


def external_url(endpoint: str) -> str:
    """A page's URL as the provider knows it: under `KOMPASS_PUBLIC_URL` when that is set."""
    public = current_app.config["KOMPASS_PUBLIC_URL"].rstrip("/")
    return public + url_for(endpoint) if public else url_for(endpoint, _external=True)


def redirect_uri() -> str:
    return external_url("oidc.callback")


@bp.get("")
def start():
    try:
        url = flow.start(provider(), redirect_uri(), request.args.get("next"))
    except Refused as refusal:
        return _refused(refusal, None, None)
    return redirect(url)


@bp.get("/svar")
def callback():
    user = name = None
    try:
        proof = flow.finish(provider(), request.args.to_dict(), redirect_uri())
        name = signin.claimed_name(provider().settings, proof.claims)
        user = signin.find_user(db_session(), name)
        signin.admit(db_session(), user, _policy())
    except Refused as refusal:
        return _refused(refusal, user, name)
    asserted = signin.second_factor_asserted(provider().settings, proof.claims)
    via = {"method": METHOD, "id_token": proof.id_token, "second_factor": asserted}
    if user.totp_enabled and not asserted:
        keeping_language(begin_second_step, user, proof.next, via)
        return redirect(url_for("adminui.login_code"))
    staff_login.finish(db_session(), user, _policy())
    db_session().commit()
    keeping_language(sign_in, user, via)
    factor = {"second_factor": "identity_provider"} if asserted else {}
    audit.record(db_session(), "staff.login", user, via=METHOD, **factor)
    return redirect(safe_next(proof.next))


def _refused(refusal: Refused, user: User | None, name: str | None):
    """The log-in page with the reason; audited by reason (never a token, code or claim)."""
    if user is not None:
        account = {"username": user.username, "account_municipality": user.municipality}
    elif name:
        typed = throttle.key(current_app.config["SECRET_KEY"], "audit-name", name)
        account = {"username": f"{UNKNOWN_NAME}{typed[:16]}"}
    else:
        account = {}
    audit.record(db_session(), "staff.login_failed", None, via=METHOD, reason=refusal.reason,
                 **account)  # fmt: skip
    return render_template("admin/login.html", errors={"sso": refusal.message()}), refusal.status


def _policy() -> staff_login.Policy:
    return staff_login.Policy.from_config(current_app.config)
