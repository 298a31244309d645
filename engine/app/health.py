"""GET /healthz: is the app up, and is its database reachable and migrated.

Reading the migration scripts costs far more than the rest, so the schema is checked until it
is found current once; after that (the running code's migrations are all applied, and they do
not go away) only the connection is checked. A schema that is not current is asked again on
every call, so `kompass db upgrade` turns "degraded" into "ok" without a restart.
"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from engine.app import migrate
from engine.app.context import db_session, kompass
from engine.versions import published

blueprint = Blueprint("health", __name__)
CURRENT = "current"
SCHEMA_SEEN_CURRENT = "kompass.schema_seen_current"


@blueprint.get("/healthz")
def healthz():
    try:
        db_session().execute(text("SELECT 1"))
        schema = _schema()
    except SQLAlchemyError:
        return jsonify(status="error", database={"reachable": False}), 503
    extra = {}
    if schema == CURRENT:
        versions = published.published_versions(db_session())
        extra["questionnaires"] = [f"{v.questionnaire_id}/{v.version}" for v in versions]
    for facts in kompass().plugins.hook.kompass_health(session=db_session()):
        extra.update(facts)
    body = {
        "status": "ok" if schema == CURRENT else "degraded",
        "database": {"reachable": True, "schema": schema},
        **extra,
    }
    return jsonify(body), 200 if schema == CURRENT else 503


def _schema() -> str:
    """The schema state, read from the migration scripts until it is first found current."""
    if current_app.extensions.get(SCHEMA_SEEN_CURRENT):
        return CURRENT
    schema = migrate.state(db_session().get_bind(), kompass().plugins)
    current_app.extensions[SCHEMA_SEEN_CURRENT] = schema == CURRENT
    return schema
