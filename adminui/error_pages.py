"""The staff UI's error pages, in the staff language; other plugins' staff pages use them too."""

from flask import Blueprint, render_template

from adminui.i18n import gettext as _
from engine.app.busy import DatabaseBusy
from renderers.pdf_pool import PdfBusy

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


def register(blueprint: Blueprint) -> None:
    """Answer the blueprint's errors with the staff error page."""
    for code in ERRORS:
        blueprint.register_error_handler(code, _error_page)
    blueprint.register_error_handler(DatabaseBusy, _busy_page)
    blueprint.register_error_handler(PdfBusy, _pdf_busy_page)


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
