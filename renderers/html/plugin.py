"""Hook implementations of the respondent HTML renderer."""

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf.csrf import CSRFError

from engine.app.busy import DatabaseBusy
from engine.app.hookspecs import hookimpl
from engine.app.i18n import find
from engine.responses.lifecycle import VersionUnavailable
from renderers import cv_use
from renderers.html import bilingual, legal, listen, pictures, spoken, views, widgets
from renderers.pdf_pool import PdfBusy

REQUIRES = ()  # who logs in comes through kompass_current_respondent and kompass_login_url


@hookimpl
def kompass_questionnaire_uses():
    return [cv_use.USE]


@hookimpl(trylast=True)
def kompass_init_app(app):
    """Last, so that every other plugin has registered its widgets' templates."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(ui=_ui, N_=bilingual.N_, machine_notice=_machine_notice,
                                 spoken=spoken.spoken, spoken_title=spoken.title,
                                 legal_links=legal.links)  # fmt: skip
    app.register_blueprint(views.blueprint)
    app.register_blueprint(legal.blueprint)
    pictures.install(app)
    app.register_blueprint(listen.blueprint)
    widgets.install(app)
    app.register_error_handler(CSRFError, _session_expired)
    app.register_error_handler(VersionUnavailable, _unavailable)
    app.register_error_handler(DatabaseBusy, _unavailable)
    app.register_error_handler(PdfBusy, _pdf_busy)
    for code in (400, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page)


def _ui(message: str, **variables) -> bilingual.Bilingual:
    """`ui(N_("Next"))` in a template: the string in the page's language and beside it."""
    return bilingual.ui(g.get("beside"), message, **variables)


def _machine_notice() -> bilingual.Bilingual | None:
    return bilingual.machine_notice(g.get("beside"))


def _unavailable(_error):
    message = _(
        "The form is not available right now. Your saved answers are kept. Please try later."
    )
    return render_template("respondent/error.html", message=message), 503


def _pdf_busy(error: PdfBusy):
    message = _("Many CVs are being made right now. Try again in a minute.")
    page = render_template("respondent/error.html", message=message)
    return page, 503, {"Retry-After": str(error.retry_after)}


def _session_expired(_error):
    message = _(
        "The page was open too long, or cookies are off. Your saved answers are kept. "
        "Please try again."
    )
    return render_template("respondent/error.html", message=message), 400


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if code in (404, 405, 413):
        _language_from_path()
    messages = {
        404: _("We could not find this page."),
        405: _("This page cannot be used like that."),
        413: _("What you sent was too large. Go back and try again with less."),
    }
    message = messages.get(code, _("Something went wrong. Your saved answers are kept."))
    return render_template("respondent/error.html", message=message), code


def _language_from_path() -> None:
    """An unknown page under /<lang>/ still answers in that language."""
    if "lang" in g:
        return
    language = find(request.path.strip("/").partition("/")[0])
    if language is not None:
        g.lang, g.locale, g.language = language.tag, language.locale, language
        refresh()
