"""Hook implementations of the integrations plugin: API tokens, the OData feed, the JSON API."""

from pathlib import Path

from api.odata.views import bp as odata
from engine.app.hookspecs import hookimpl

# Staff users own tokens and their rules decide what a token reads; the feed and the API read
# persons and show what the staff pages show (profile, PDFs).
REQUIRES = ("people", "code_login", "staff", "adminui")
HERE = Path(__file__).parent
DEFAULTS = {
    "API_REQUESTS_PER_MINUTE": 300,  # per token
    "API_TOKEN_LONGEST_DAYS": 365,
    "ODATA_PAGE_SIZE": 1000,  # rows of a feed's page (at least; a page ends with a batch)
}


@hookimpl
def kompass_init_app(app):
    app.register_blueprint(odata)
    app.extensions["csrf"].exempt(odata)  # a token in the Authorization header, never a cookie


@hookimpl
def kompass_migration_locations():
    return str(HERE / "migrations" / "versions")


@hookimpl
def kompass_settings():
    return DEFAULTS
