"""GET /healthz: is the app up, and is its database reachable and migrated."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from engine import migrate, published
from engine.context import db_session, kompass

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    state = kompass()
    try:
        db_session().execute(text("SELECT 1"))
        schema = migrate.state(db_session().get_bind(), state.plugins)
    except SQLAlchemyError:
        return jsonify(status="error", database={"reachable": False}), 503
    extra = {}
    if schema == "current":
        versions = published.published_versions(db_session())
        extra["questionnaires"] = [f"{v.questionnaire_id}/{v.version}" for v in versions]
    for facts in state.plugins.hook.kompass_health(session=db_session()):
        extra.update(facts)
    body = {
        "status": "ok" if schema == "current" else "degraded",
        "database": {"reachable": True, "schema": schema},
        **extra,
    }
    return jsonify(body), 200 if schema == "current" else 503
