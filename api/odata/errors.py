"""Refusals in OData's JSON error shape: `{"error": {"code": ..., "message": ...}}`."""

from api.tokens import guard


class ODataError(Exception):
    """A request the feed cannot answer; `status`, `code` and `message` say why."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bad_request(message: str) -> ODataError:
    return ODataError(400, "bad_request", message)


def not_found(message: str) -> ODataError:
    return ODataError(404, "not_found", message)


def response(error: ODataError):
    return guard.error(error.status, error.code, error.message)
