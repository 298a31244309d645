"""Hook implementations of the staff web UI."""

from adminui import (  # noqa: F401
    error_pages,
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
from engine.app.hookspecs import hookimpl

# Persons, codes, staff log-in and access; the respondent pages serve interviews.
REQUIRES = ("people", "code_login", "staff", "respondent_html")

error_pages.register(bp)


@hookimpl
def kompass_questionnaire_uses():
    return [statistics_use.USE]


@hookimpl
def kompass_init_app(app):
    app.register_blueprint(bp)
    formatting.register(app)


@hookimpl(tryfirst=True)
def kompass_current_respondent():
    return interview.current_respondent()


@hookimpl
def kompass_logout():
    interview.stop()
