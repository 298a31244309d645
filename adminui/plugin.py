"""Hook implementations of the staff web UI."""

from flask import render_template

from adminui import (  # noqa: F401
    formatting,
    interview,
    statistics_use,
    views_audit,
    views_auth,
    views_content,
    views_content_audio,
    views_erasure,
    views_export,
    views_home,
    views_overview,
    views_persons,
    views_second_factor,
    views_statistics,
    views_users,
    views_verification,
)
from adminui.blueprint import bp
from adminui.i18n import gettext as _
from engine.app.busy import DatabaseBusy
from engine.app.hookspecs import hookimpl
from renderers.pdf_pool import PdfBusy

# Persons, codes, staff log-in and access; the respondent pages serve interviews.
REQUIRES = ("people", "code_login", "staff", "respondent_html")

ERRORS = {
    400: lambda: _("The request could not be read. Go back and type the text again."),
    401: lambda: _("Please log in."),
    403: lambda: _("You do not have access to this page."),
    404: lambda: _("Not found."),
    409: lambda: _("The code can only be printed right after it was made. Make a new code."),
    413: lambda: _("The form you sent was too large. Go back and send less at a time."),
    503: lambda: _(
        "No questionnaire version is published yet. Ask a content editor to publish one."
    ),
}


@hookimpl
def kompass_questionnaire_uses():
    return [statistics_use.USE]


@hookimpl
def kompass_init_app(app):
    app.register_blueprint(bp)
    formatting.register(app)


def _error_page(error):
    code = getattr(error, "code", 500)
    return render_template("admin/error.html", message=ERRORS[code]()), code


def _busy_page(_error):
    message = _("Kompass is very busy right now. Wait a moment and try again.")
    return render_template("admin/error.html", message=message), 503


def _pdf_busy_page(error: PdfBusy):
    message = _("Kompass is making many PDF files right now. Try again in a minute.")
    page = render_template("admin/error.html", message=message)
    return page, 503, {"Retry-After": str(error.retry_after)}


for _code in ERRORS:
    bp.register_error_handler(_code, _error_page)
bp.register_error_handler(DatabaseBusy, _busy_page)
bp.register_error_handler(PdfBusy, _pdf_busy_page)


@hookimpl(tryfirst=True)
def kompass_current_respondent():
    return interview.current_respondent()


@hookimpl
def kompass_logout():
    interview.stop()
