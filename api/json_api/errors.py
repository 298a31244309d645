"""The API's refusals: raised by a view, answered as JSON in the guard's shape."""

from flask import jsonify


class ApiError(Exception):
    """A refusal: HTTP status, a stable code, a message, and per field what is wrong."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        super().__init__(code)
        self.status, self.code, self.message, self.details = status, code, message, details

    def answer(self):
        body = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        response = jsonify({"error": body})
        response.status_code = self.status
        return response
