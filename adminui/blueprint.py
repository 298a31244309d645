"""The /admin/ blueprint, the staff language, and the access decorators every route uses."""

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, g, redirect, request, session, url_for

from adminui import i18n
from auth.staff import access
from auth.staff.models import User
from auth.staff.session import current_user, second_factor_by_provider

bp = Blueprint(
    "adminui",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
STAFF_LOCALES = ("nb", "en")
LOCALE_KEY = "staff_locale"


@bp.before_request
def staff_locale() -> None:
    g.locale = session.get(LOCALE_KEY, "nb")
    g.staff_lang = g.locale


@bp.context_processor
def staff_gettext() -> dict:
    """Templates of this blueprint translate with the staff domain."""
    return {"_": i18n.gettext}


def requires(allowed: Callable[[User], bool] | None = None, hide: bool = False):
    """Log-in and permission check; `hide` answers 404 instead of 403 (nothing to see here).

    A new password comes first, then a second factor for the roles that need one.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                if request.method == "GET":
                    return redirect(url_for("adminui.login", next=request.path))
                abort(401)
            if user.must_change_password and request.endpoint not in PASSWORD_ENDPOINTS:
                return redirect(url_for("adminui.password"))
            if _must_enrol(user) and request.endpoint not in ENROLMENT_ENDPOINTS:
                return redirect(url_for("adminui.second_factor"))
            if allowed is not None and not allowed(user):
                abort(404 if hide else 403)
            return view(user, *args, **kwargs)

        return wrapper

    return decorate


def _must_enrol(user: User) -> bool:
    """A second factor proved by the identity provider counts as Kompass's own."""
    return (
        access.needs_second_factor(user)
        and not user.totp_enabled
        and not second_factor_by_provider()
    )


PASSWORD_ENDPOINTS = {"adminui.password", "adminui.logout", "adminui.language"}
ENROLMENT_ENDPOINTS = PASSWORD_ENDPOINTS | {"adminui.second_factor"}
