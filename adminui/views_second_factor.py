"""The second factor: the code step of the log-in, and each user's own enrolment page."""

from flask import abort, current_app, redirect, render_template, request, url_for

from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from adminui.qr import inline_svg
from adminui.views_auth import keeping_language, safe_next
from auth.staff import access, audit, second_factor
from auth.staff import login as staff_login
from auth.staff.models import User
from auth.staff.session import pending_login, sign_in
from engine.app.context import db_session

CODE_LENGTH = 40  # the longest code read: a recovery code with spaces or dashes
FIELDS = {"enrol": "code-enrol", "recovery_codes": "code-renew", "disable": "code-off"}
"""Each step's code field on the page, for its error message."""


@bp.route("/login/kode", methods=["GET", "POST"])
def login_code():
    pending = pending_login()
    if pending is None:
        return redirect(url_for("adminui.login"))
    if request.method == "GET":
        return render_template("admin/login_code.html", errors={})
    if not _posted_code().strip():
        errors = {"code": _("Type the code from the app, or a recovery code.")}
        return render_template("admin/login_code.html", errors=errors), 422
    user = pending.user
    method = staff_login.check_code(db_session(), user, _posted_code(), _policy(), recovery=True)
    if method is None:
        _record_failure(user, "login")
        error = _(
            "The code is wrong or already used, or the account is locked. Wait for the next code."
        )
        return render_template("admin/login_code.html", errors={"code": error}), 422
    staff_login.finish(db_session(), user, _policy())
    db_session().commit()
    keeping_language(sign_in, user, pending.via)
    via = {"via": pending.via["method"]} if pending.via else {}
    audit.record(db_session(), "staff.login", user, second_factor=method, **via)
    if method == "recovery":
        left = second_factor.recovery_codes_left(db_session(), user)
        audit.record(db_session(), "staff.recovery_code_used", user, target_user_id=user.id,
                     left=left)  # fmt: skip
    return redirect(safe_next(pending.next))


@bp.route("/tofaktor", methods=["GET", "POST"], endpoint="second_factor")
@requires()
def enrolment(user):
    if request.method == "GET" or user.totp_enabled or not user.totp_secret:
        second_factor.start_enrolment(user)
        db_session().commit()
        return _page(user)
    if refused := _unless_code_is_right(user, "enrol"):
        return refused
    codes = second_factor.enable(db_session(), user, current_app.config["SECRET_KEY"])
    _changed(user, "staff.totp_enabled")
    return _page(user, recovery_codes=codes)


@bp.post("/tofaktor/gjenopprettingskoder")
@requires()
def new_recovery_codes(user):
    if not user.totp_enabled:
        return redirect(url_for("adminui.second_factor"))
    if refused := _unless_code_is_right(user, "recovery_codes"):
        return refused
    codes = second_factor.new_recovery_codes(db_session(), user, current_app.config["SECRET_KEY"])
    _changed(user, "staff.recovery_codes_new")
    return _page(user, recovery_codes=codes)


@bp.post("/tofaktor/av")
@requires()
def disable_second_factor(user):
    if access.needs_second_factor(user):
        abort(403)
    if not user.totp_enabled:
        return redirect(url_for("adminui.second_factor"))
    if refused := _unless_code_is_right(user, "disable"):
        return refused
    second_factor.turn_off(db_session(), user)
    _changed(user, "staff.totp_disabled")
    return redirect(url_for("adminui.second_factor"))


def _unless_code_is_right(user: User, step: str):
    """None if the posted code is right, else the page again with the failure audited (an
    empty field is only asked for again)."""
    field = FIELDS[step]
    if not _posted_code().strip():
        return _page(user, {field: _("Type the 6-digit code the app shows.")}, status=422)
    if staff_login.check_code(db_session(), user, _posted_code(), _policy()):
        return None
    _record_failure(user, step)
    return _page(user, {field: _wrong_code()}, status=422)


def _changed(user: User, action: str) -> None:
    """Saved and audited; this browser signs in again (the change ended every session)."""
    db_session().commit()
    audit.record(db_session(), action, user, target_user_id=user.id)
    keeping_language(sign_in, user)


def _page(user: User, errors: dict | None = None, status: int = 200, recovery_codes=None):
    enrolling = not user.totp_enabled
    body = render_template(
        "admin/second_factor.html",
        required=access.needs_second_factor(user),
        enrolling=enrolling,
        qr=inline_svg(second_factor.provisioning_uri(user), _("QR code")) if enrolling else None,
        secret=second_factor.grouped(user.totp_secret) if enrolling else None,
        codes_left=second_factor.recovery_codes_left(db_session(), user),
        recovery_codes=recovery_codes,
        errors=errors or {},
    )
    return body, status


def _record_failure(user: User, step: str) -> None:
    """Audited under the account; at log-in without an actor (who typed it is not proved)."""
    actor = None if step == "login" else user
    audit.record(
        db_session(), "staff.totp_failed", actor, target_user_id=user.id,
        username=user.username, account_municipality=user.municipality, step=step,
    )  # fmt: skip


def _wrong_code() -> str:
    return _("The code is wrong or already used. Type the code the app shows now.")


def _posted_code() -> str:
    return request.form.get("code", "")[:CODE_LENGTH]


def _policy() -> staff_login.Policy:
    return staff_login.Policy.from_config(current_app.config)
