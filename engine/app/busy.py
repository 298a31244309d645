"""A database too busy to answer in time (SQLite's write lock) is a 503 "try again" page, not
a 500. Plugins register a handler for `DatabaseBusy` to show it in their own words."""

import sys

from flask import Flask, current_app
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import InternalServerError, ServiceUnavailable

LOCKED = ("database is locked", "database table is locked")
RETRY_AFTER = "5"


class DatabaseBusy(ServiceUnavailable):
    """The database could not take the request's write in time."""


def register(app: Flask) -> None:
    app.register_error_handler(OperationalError, _answer)


def is_locked(error: OperationalError) -> bool:
    return any(text in str(error.orig) for text in LOCKED)


def _answer(error: OperationalError):
    if not is_locked(error):
        current_app.log_exception(sys.exc_info())
        return current_app.handle_http_exception(InternalServerError(original_exception=error))
    response = current_app.handle_http_exception(DatabaseBusy())
    response = current_app.make_response(response)
    response.headers["Retry-After"] = RETRY_AFTER
    return response
