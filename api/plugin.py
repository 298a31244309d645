"""Hook implementations of the integrations plugin: API tokens, the OData feed, the JSON API."""

from pathlib import Path

from api.json_api import views as json_api
from api.ui import views as token_pages
from engine.app.hookspecs import hookimpl

# Staff users own tokens and their rules decide what a token reads; the feed and the API read
# persons and show what the staff pages show (profile, PDFs: made by respondent_html's renderers).
REQUIRES = ("people", "code_login", "staff", "adminui", "respondent_html")
HERE = Path(__file__).parent
DEFAULTS = {
    "API_REQUESTS_PER_MINUTE": 300,  # per token
    "API_TOKEN_LONGEST_DAYS": 365,
}


@hookimpl
def kompass_migration_locations():
    return str(HERE / "migrations" / "versions")


@hookimpl
def kompass_settings():
    return DEFAULTS


@hookimpl
def kompass_init_app(app):
    app.register_blueprint(token_pages.bp)
    app.register_blueprint(json_api.bp)
    app.extensions["csrf"].exempt(json_api.bp)  # the Authorization header only, never a cookie


@hookimpl
def kompass_staff_menu_items(user):
    return token_pages.menu_items(user)
