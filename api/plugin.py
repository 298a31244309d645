"""Hook implementations of the integrations plugin: API tokens, the OData feed, the JSON API."""

from pathlib import Path

from api.json_api import views as json_api
from api.odata.views import bp as odata
from api.ui import views as token_pages
from engine.app.hookspecs import hookimpl
from engine.export.rows import BATCH

# Staff users own tokens and their rules decide what a token reads; the feed and the API read
# persons and show what the staff pages show (profile, PDFs: made by respondent_html's renderers).
REQUIRES = ("people", "code_login", "staff", "adminui", "respondent_html")
HERE = Path(__file__).parent
DEFAULTS = {
    "API_REQUESTS_PER_MINUTE": 300,  # per token
    "API_TOKEN_LONGEST_DAYS": 365,
    # Responses per page of the feed (a group's page ends with the batch that filled it). Not
    # below the export's batch: pseudonymised rows are shuffled within a page, not across pages.
    "ODATA_PAGE_SIZE": BATCH,
}


@hookimpl
def kompass_init_app(app):
    if app.config["KOMPASS_ODATA_PAGE_SIZE"] < BATCH:
        raise ValueError(f"KOMPASS_ODATA_PAGE_SIZE must be {BATCH} or more: a page's place "
                         "would tell the age of a pseudonymised response")  # fmt: skip
    app.register_blueprint(token_pages.bp)
    for api in (json_api.bp, odata):
        app.register_blueprint(api)
        app.extensions["csrf"].exempt(api)  # the Authorization header only, never a cookie


@hookimpl
def kompass_migration_locations():
    return str(HERE / "migrations" / "versions")


@hookimpl
def kompass_settings():
    return DEFAULTS


@hookimpl
def kompass_staff_menu_items(user):
    return token_pages.menu_items(user)
