"""The JSON API's blueprint: texts in Norwegian Bokmål, every error as JSON, no session.

It is exempt from CSRF (api/plugin.py): a request is authenticated by its Authorization header
only (`api.tokens.guard`), never by the session cookie, so another site cannot send one for a
logged-in user."""

from flask import Blueprint, g
from werkzeug.exceptions import HTTPException

from api.json_api.errors import ApiError
from api.tokens.guard import error

bp = Blueprint("json_api", __name__, url_prefix="/api/v1")
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


@bp.errorhandler(ApiError)
def refused(refusal: ApiError):
    return refusal.answer()


def http_error(exception: HTTPException):
    """A JSON error; a 503's `Retry-After` (the PDF pool's, `PdfBusy`) passes through."""
    code, message = MESSAGES.get(exception.code, ("error", exception.name))
    answer = error(exception.code, code, message)
    if getattr(exception, "retry_after", None) is not None:
        answer.headers["Retry-After"] = str(exception.retry_after)
    return answer


# By status as well as by class: Flask prefers the app's handler of a status (the respondent
# pages' HTML) to a blueprint's handler of a class.
bp.register_error_handler(HTTPException, http_error)
for _status in MESSAGES:
    bp.register_error_handler(_status, http_error)
