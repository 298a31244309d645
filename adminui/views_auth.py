"""Staff log-in, log-out, own password, and the staff UI language."""

from flask import current_app, redirect, render_template, request, session, url_for

from adminui.blueprint import LOCALE_KEY, STAFF_LOCALES, bp, requires
from adminui.i18n import gettext as _
from auth.code_login import throttle
from auth.staff import audit, passwords
from auth.staff import login as staff_login
from auth.staff.models import USERNAME_LONGEST
from auth.staff.session import begin_second_step, current_user, sign_in, sign_out
from engine.app.context import db_session, kompass

UNKNOWN_NAME = "unknown:"  # then a keyed hash of the typed name


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("admin/login.html", errors={})
    username = _typed_username()
    password = request.form.get("password", "")[:200]
    missing = _missing(username, password)
    if missing:
        return render_template("admin/login.html", errors=missing), 422
    policy = staff_login.Policy.from_config(current_app.config)
    client = request.remote_addr or ""
    user = staff_login.authenticate(db_session(), username, password, client, policy)
    if user is None:
        _record_failure(username)
        error = _("Wrong user name or password, or the account is locked or inactive.")
        return render_template("admin/login.html", errors={"username": error}), 422
    if user.totp_enabled:
        keeping_language(begin_second_step, user, request.args.get("next"))
        return redirect(url_for("adminui.login_code"))
    keeping_language(sign_in, user)
    audit.record(db_session(), "staff.login", user)
    return redirect(safe_next(request.args.get("next")))


def _missing(username: str, password: str) -> dict[str, str]:
    """A message for each field left empty (nothing is tried, counted or audited then)."""
    errors = {}
    if not request.form.get("username", "").strip():
        errors["username"] = _("Type your user name.")
    if not password:
        errors["password"] = _("Type your password.")
    return errors


def _typed_username() -> str:
    """The typed name as stored (trimmed, lower case); "" when that is longer than any user
    name can be (lower-casing may lengthen it: "İ" becomes two characters)."""
    typed = request.form.get("username", "")[:USERNAME_LONGEST].strip().lower()
    return typed if len(typed) <= USERNAME_LONGEST else ""


def _record_failure(username: str) -> None:
    """Audited under the account's municipality, so its municipal administrator sees it; a
    name that is no account is kept as a keyed hash (it may be a password typed in the wrong
    field), which still tells repeated attempts with the same name apart."""
    account = staff_login.find_user(db_session(), username)
    name = username.strip().lower()
    if account is None:
        typed = throttle.key(current_app.config["SECRET_KEY"], "audit-name", name)
        name, municipality = f"{UNKNOWN_NAME}{typed[:16]}", None
    else:
        municipality = account.municipality
    audit.record(db_session(), "staff.login_failed", None, username=name,
                 account_municipality=municipality)  # fmt: skip


def keeping_language(start, *args) -> None:
    """`start` a fresh session (against fixation) that keeps the language chosen before."""
    chosen = session.get(LOCALE_KEY)
    start(*args)
    if chosen in STAFF_LOCALES:
        session[LOCALE_KEY] = chosen


def safe_next(target: str | None) -> str:
    """Only paths inside /admin/ (never another site)."""
    if target and target.startswith("/admin/") and "//" not in target and "\\" not in target:
        return target
    return url_for("adminui.home")


@bp.post("/logout")
def logout():
    """Ends the session here, then (through a plugin) at the identity provider, if any."""
    user = current_user()
    provider_logout = kompass().plugins.hook.kompass_staff_logout_url() if user else None
    if user is not None:
        ends = {"identity_provider": True} if provider_logout else {}
        audit.record(db_session(), "staff.logout", user, **ends)
    sign_out()
    if provider_logout:  # a page that goes on there: a form may not be sent to another site (CSP)
        return render_template("admin/logged_out.html", provider_logout=provider_logout)
    return redirect(url_for("adminui.login"))


@bp.app_template_global("staff_login_options")
def login_options() -> list[tuple[str, str]]:
    """Other ways to log in that plugins offer, as (label, URL)."""
    offered = kompass().plugins.hook.kompass_staff_login_options()
    return [option for options in offered for option in options]


@bp.app_template_global("staff_menu_items")
def menu_items(user) -> list[tuple[str, str]]:
    """Links that plugins add to the staff menu for `user`, as (label, URL)."""
    offered = kompass().plugins.hook.kompass_staff_menu_items(user=user)
    return [item for items in offered for item in items]


@bp.route("/password", methods=["GET", "POST"])
@requires()
def password(user):
    if request.method == "GET":
        return render_template("admin/password.html", errors={})
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    current = request.form.get("current", "")[:200]
    new = request.form.get("new", "")[:200]
    errors = _password_errors(user, current, new, cost)
    if errors:
        return render_template("admin/password.html", errors=errors), 422
    user.password_hash = passwords.hash_password(new, cost)
    user.must_change_password = False
    user.session_epoch += 1
    db_session().commit()
    audit.record(db_session(), "staff.password_changed", user, target_user_id=user.id)
    keeping_language(sign_in, user)
    return redirect(url_for("adminui.home"))


def _password_errors(user, current: str, new: str, cost) -> dict[str, str]:
    """A message for each field that is wrong, in the form's order."""
    errors = {}
    if not current:
        errors["current"] = _("Type your current password.")
    elif not passwords.verify(user.password_hash, current, cost):
        errors["current"] = _("The current password is wrong.")
    if passwords.too_weak(new):
        errors["new"] = _("The new password must have at least 12 characters.")
    elif new != request.form.get("repeat", ""):
        errors["repeat"] = _("Type the new password again, the same way.")
    return errors


@bp.post("/language")
def language():
    chosen = request.form.get("locale", "nb")
    session[LOCALE_KEY] = chosen if chosen in STAFF_LOCALES else "nb"
    return redirect(safe_next(request.form.get("next")))
