"""The JSON API's blueprint: texts in Norwegian Bokmål, every error as JSON, no session.

It is exempt from CSRF (api/plugin.py): a request is authenticated by its Authorization header
only (`api.tokens.guard`), never by the session cookie, so another site cannot send one for a
logged-in user."""

from flask import Blueprint, g, request
from werkzeug.exceptions import HTTPException

from api.json_api.errors import ApiError
from api.tokens.guard import error

PREFIX = "/api/v1/"
bp = Blueprint("json_api", __name__, url_prefix=PREFIX.rstrip("/"))
LANGUAGE = "nb"  # the profile and the PDFs, as a Norwegian case system files them
NOT_FOUND = "No such mapping among the persons this token's owner may see."
MESSAGES = {
    400: ("bad_request", "The request could not be read."),
    404: ("not_found", NOT_FOUND),
    405: ("method_not_allowed", "This route does not take this method."),
    413: ("too_large", "The request is too large."),
    503: ("busy", "Kompass is busy right now (making PDF files, say). Try again shortly."),
}


@bp.before_request
def norwegian() -> None:
    g.locale = g.staff_lang = LANGUAGE


@bp.before_app_request
def unrouted():
    """A path under /api/v1 that names no route, or a method it does not take: JSON as well
    (no route means no blueprint, so the app's HTML error pages would answer)."""
    refused = request.routing_exception
    if refused is not None and refused.code in (404, 405) and request.path.startswith(PREFIX):
        return http_error(refused)
    return None


@bp.errorhandler(ApiError)
def refused(refusal: ApiError):
    return refusal.answer()


def http_error(exception: HTTPException):
    """A JSON error; a 503's `Retry-After` (the PDF pool's, `PdfBusy`) and a 405's `Allow`
    pass through."""
    code, message = MESSAGES.get(exception.code, ("error", exception.name))
    answer = error(exception.code, code, message)
    if getattr(exception, "retry_after", None) is not None:
        answer.headers["Retry-After"] = str(exception.retry_after)
    if getattr(exception, "valid_methods", None):
        answer.headers["Allow"] = ", ".join(exception.valid_methods)
    return answer


# By status as well as by class: Flask prefers the app's handler of a status (the respondent
# pages' HTML) to a blueprint's handler of a class.
bp.register_error_handler(HTTPException, http_error)
for _status in MESSAGES:
    bp.register_error_handler(_status, http_error)
