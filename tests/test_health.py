"""/healthz: the schema is read from the migration scripts until found current, then only the
connection is checked; a schema that is not current keeps reporting "degraded"."""

import pytest

from engine.app import migrate, plugins
from engine.app.db import make_engine
from engine.app.factory import create_app
from tests.conftest import TEST_SETTINGS


@pytest.fixture
def schema_reads(monkeypatch):
    reads = []
    state = migrate.state

    def counted(*args):
        reads.append(1)
        return state(*args)

    monkeypatch.setattr(migrate, "state", counted)
    return reads


def test_a_current_schema_is_read_once_then_only_the_connection(client, schema_reads):
    for _ in range(3):
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json["status"] == "ok"
        assert response.json["database"] == {"reachable": True, "schema": "current"}
    assert len(schema_reads) == 1


def test_a_schema_not_current_at_start_stays_degraded_until_upgraded(tmp_path, schema_reads):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": url})
    client = app.test_client()
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 503 and response.json["status"] == "degraded"
        assert response.json["database"]["schema"] == "needs-upgrade"
    engine = make_engine(url)
    migrate.upgrade(engine, plugins.make_plugin_manager())
    engine.dispose()
    assert client.get("/healthz").json["status"] == "ok"
    assert client.get("/healthz").status_code == 200
    assert len(schema_reads) == 3


def test_an_unreachable_database_is_reported_after_the_schema_was_current(app, client):
    assert client.get("/healthz").status_code == 200
    sessions = app.extensions["kompass"].sessions
    sessions.kw["bind"].dispose()
    sessions.configure(bind=make_engine("sqlite:////nonexistent-folder/kompass.sqlite3"))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["database"] == {"reachable": False}
