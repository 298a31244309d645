"""Helpers for the OData feed's tests: seeded responses, tokens, a real HTTP server and the
staff export of the same owner to compare with."""

import random
import threading
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from werkzeug.serving import make_server

from api.tokens import scopes, store
from auth.people.models import BOSATT, Person
from auth.staff.models import User
from bench.export_data import AnswerGenerator
from engine.app.db import utcnow
from engine.responses.respondent import INTERVIEW, SELF
from engine.responses.storage import DRAFT, SUBMITTED, Response
from engine.versions import published
from tests.staff_helpers import add_user, staff_login, token
from tests.test_export import tables

MUNICIPALITIES = ("4601", "0301", "5001")
LANGUAGES = ("ar", "ti", "en", "nb")
YEAR_START = datetime(2024, 1, 1, tzinfo=UTC)


def seed(app, count: int, places=MUNICIPALITIES, states=(SUBMITTED, SUBMITTED, SUBMITTED, DRAFT)):
    """`count` persons in `places`, each with a response to version 1 of Kompass (answers made
    from its JSON Schema, as the export's benchmark makes them), in 2024 and 2025. (PostgreSQL
    keeps the schema's keys in another order, so the answers differ from SQLite's.)"""
    rng = random.Random(count)
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        version = published.find(session, "kompass", 1)
        generator = AnswerGenerator(version.json_schema, rng)
        first = session.scalar(select(Person.id).order_by(Person.id.desc())) or 0
        session.execute(insert(Person.__table__), [
            {"duf": f"3{first + n:011d}", "first_name": "P", "last_name": "Q",
             "municipality": rng.choice(places), "residence": BOSATT,
             "settled_on": date(2024, 1, 1), "created_at": utcnow()}
            for n in range(count)
        ])  # fmt: skip
        ids = session.scalars(select(Person.id).where(Person.id > first).order_by(Person.id))
        session.execute(insert(Response.__table__), [
            _response(rng, generator, f"person:{person_id}", version.id, rng.choice(states))
            for person_id in ids
        ])  # fmt: skip
        session.commit()


def _response(rng, generator, subject: str, version_id: int, state: str) -> dict:
    """Started, saved and submitted in the same year (a year's first and last days left out)."""
    moment = YEAR_START.replace(year=rng.choice((2024, 2025))) + timedelta(
        days=rng.randint(5, 355), seconds=rng.randrange(24 * 3600)
    )
    return {
        "subject": subject, "questionnaire_id": "kompass", "version_id": version_id,
        "language": rng.choice(LANGUAGES), "state": state, "answers": generator.answers(),
        "revision": 1, "mode": rng.choice((SELF, INTERVIEW)),
        "created_at": moment - timedelta(hours=rng.randint(1, 72)), "updated_at": moment,
        "submitted_at": moment if state == SUBMITTED else None,
    }  # fmt: skip


def feed_token(app, username: str, roles, municipality=None, scope=scopes.FEED) -> str:
    """A new user with `roles` and a token of theirs in `scope`."""
    user_id = add_user(app, username, roles, municipality)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        made = store.create(session, session.get(User, user_id), "test", scope,
                            utcnow() + timedelta(days=30))  # fmt: skip
        session.commit()
        return made.text


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


@contextmanager
def serving(app):
    """The app on a loopback port in a thread, for a real HTTP client: its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def staff_export(app, username: str, **form) -> dict[str, list[dict]]:
    """The staff export's CSV tables, downloaded by `username` (logged in) with `form`."""
    client = app.test_client()
    staff_login(client, username)
    answer = client.post("/admin/eksport", data={"csrf_token": token(client), "format": "csv",
                                                  "version": "all", **form})  # fmt: skip
    assert answer.status_code == 200, answer.text[:500]
    return tables(answer.data)
