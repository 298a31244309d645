"""What the engine keeps on the Flask app, and the per-request database session."""

from dataclasses import dataclass

import pluggy
from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from engine.responses.lifecycle import Lifecycle
from engine.versions.registry import QuestionnaireRegistry

EXTENSION = "kompass"


@dataclass
class Kompass:
    plugins: pluggy.PluginManager
    sessions: sessionmaker
    registry: QuestionnaireRegistry


def kompass() -> Kompass:
    return current_app.extensions[EXTENSION]


def db_session() -> Session:
    """The request's database session, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = kompass().sessions()
    return g.db_session


def lifecycle() -> Lifecycle:
    """The response lifecycle on the request's session, telling the plugins of every write."""
    return Lifecycle(db_session(), kompass().registry, kompass().plugins.hook)


def close_db_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def install(app: Flask, state: Kompass) -> None:
    app.extensions[EXTENSION] = state
    app.teardown_appcontext(close_db_session)
