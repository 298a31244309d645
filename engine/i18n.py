"""The language of a request: taken from the `<lang>` part of the URL, checked, put on `g`."""

from flask import Flask, abort, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from engine import languages
from engine.context import db_session, kompass

LANG_ARG = "lang"


def install(app: Flask) -> None:
    app.url_value_preprocessor(_take_language)
    app.url_defaults(_keep_language)


def offered() -> list[languages.Language]:
    """The languages of the newest published version (none before anything is published)."""
    if "offered_languages" not in g:
        active = kompass().registry.active(db_session())
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
    language = find(values.pop(LANG_ARG))
    if language is None:
        abort(404)
    g.lang, g.locale, g.language = language.tag, language.locale, language


def _keep_language(endpoint: str, values: dict) -> None:
    if LANG_ARG in values or "lang" not in g or request.url_rule is None:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, LANG_ARG):
        values[LANG_ARG] = g.lang
