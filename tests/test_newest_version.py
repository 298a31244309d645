"""The newest published version is known without a query per request: the pool's ping reads the
publication stamp (a version published by another process: tests/test_published_versions.py)."""

from sqlalchemy import event, text

from engine.app.db import PING_ROW, make_engine
from engine.versions import published


def test_a_page_asks_nothing_of_the_published_versions(app, logged_in):
    """Once the response is started (on the newest version, read then)."""
    logged_in.get("/en/form/personal")
    engine = app.extensions["kompass"].sessions.kw["bind"]
    asked = []
    event.listen(engine, "before_cursor_execute", lambda *a: asked.append(a[2]))
    assert logged_in.get("/en/form/personal").status_code == 200
    assert asked and not [q for q in asked if "questionnaire_versions" in q]


def test_questionnaires_a_url_names_in_vain_are_not_kept(app, client):
    for number in range(20):
        assert client.get(f"/en/nothing{number}/form/personal").status_code == 404
    assert set(app.extensions["kompass"].registry._newest) <= {"kompass"}


def test_the_stamp_changes_with_every_publication(database_url):
    engine = make_engine(database_url, ping=published.STAMP)
    with engine.connect() as connection:
        before = connection.info[PING_ROW]
        connection.execute(
            text("INSERT INTO questionnaire_versions (questionnaire_id, version) VALUES ('x', 1)")
        )
        connection.commit()
    with engine.connect() as connection:
        assert connection.info[PING_ROW] == before  # reserved, not published
        connection.execute(text("UPDATE questionnaire_versions SET fingerprint = 'f'"))
        connection.commit()
    with engine.connect() as connection:
        assert connection.info[PING_ROW] != before
    engine.dispose()


def test_an_engine_without_the_table_reads_no_stamp(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}", ping=published.STAMP)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT 1")) == 1 and PING_ROW not in connection.info
    engine.dispose()


def test_a_dropped_connection_is_replaced(database_url):
    engine = make_engine(database_url, ping=published.STAMP)
    with engine.connect() as connection:
        dropped = connection.connection.dbapi_connection
        pid = _server_pid(database_url, connection)
    _drop(database_url, dropped, pid)
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection is not dropped
        assert connection.info[PING_ROW] is not None
    engine.dispose()


def _server_pid(database_url: str, connection) -> int | None:
    if database_url.startswith("postgresql"):
        return connection.scalar(text("SELECT pg_backend_pid()"))
    return None


def _drop(database_url: str, dbapi_connection, pid: int | None) -> None:
    """The server ends the pooled connection (PostgreSQL), or it is closed behind the pool's
    back (SQLite, which has no server)."""
    if pid is None:
        dbapi_connection.close()
        return
    with make_engine(database_url).connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
