"""The language of a request: taken from the `<lang>` part of the URL, checked, put on `g`.

A `<questionnaire>` part of the URL names the questionnaire (one with a published version, else
404) whose languages are offered; without one, the default questionnaire's are.
"""

from flask import Flask, abort, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from engine.app.context import db_session, kompass
from engine.questionnaire import languages

LANG_ARG = "lang"
QUESTIONNAIRE_ARG = "questionnaire"


def install(app: Flask) -> None:
    app.url_value_preprocessor(_take_language)
    app.url_defaults(_keep_language)


def offered() -> list[languages.Language]:
    """The languages of the newest published version (none before anything is published)."""
    if "offered_languages" not in g:
        active = kompass().registry.active(db_session(), g.get("questionnaire_id"))
        g.offered_languages = languages.offered(active) if active else []
    return g.offered_languages


def find(tag: str | None) -> languages.Language | None:
    return next((language for language in offered() if language.tag == tag), None)


def tag_of(locale: str) -> str:
    """The language tag of a locale: the URL's language, else an offered language's, else the
    locale written as a tag (`fa_AF` -> `fa-AF`); staff pages and `force_locale` need this."""
    if locale == g.get("locale") and g.get("lang"):
        return g.lang
    try:
        tags = {language.locale: language.tag for language in offered()}
    except SQLAlchemyError:  # an error page while the database is away: the plain mapping
        tags = {}
    return tags.get(locale, locale.replace("_", "-"))


def _take_language(_endpoint: str | None, values: dict | None) -> None:
    if not values or LANG_ARG not in values:
        return
    _take_questionnaire(values.pop(QUESTIONNAIRE_ARG, None))
    language = find(values.pop(LANG_ARG))
    if language is None:
        abort(404)
    g.lang, g.locale, g.language = language.tag, language.locale, language


def _take_questionnaire(questionnaire_id: str | None) -> None:
    """The questionnaire the URL names, if it names one that is served."""
    if questionnaire_id is None:
        return
    if kompass().registry.newest_id(db_session(), questionnaire_id) is None:
        abort(404)
    g.questionnaire_id = questionnaire_id


def _keep_language(endpoint: str, values: dict) -> None:
    if "lang" not in g or request.url_rule is None:
        return
    expects = current_app.url_map.is_endpoint_expecting
    if LANG_ARG not in values and expects(endpoint, LANG_ARG):
        values[LANG_ARG] = g.lang
    wanted = QUESTIONNAIRE_ARG not in values and expects(endpoint, QUESTIONNAIRE_ARG)
    if wanted and g.get("questionnaire_id"):
        values[QUESTIONNAIRE_ARG] = g.questionnaire_id
