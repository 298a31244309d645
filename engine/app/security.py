"""HTTP headers that every response carries: no third-party content, no framing, no caching
of personal pages; HTTPS only once secure cookies are on (HSTS); and no NUL byte in any request
(no one types one, and databases refuse it)."""

from flask import Flask, Response, abort, current_app, request

POLICY = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "
    "script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"  # one year


def install(app: Flask) -> None:
    app.before_request(_refuse_nul_bytes)
    app.after_request(_headers)


def _refuse_nul_bytes() -> None:
    values = [*request.args.values(), *request.path.split("/")]
    if request.method == "POST":
        values += [v for _, v in request.form.items(multi=True)]
    if any("\x00" in value for value in values):
        abort(400)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
