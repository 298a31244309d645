"""A database error writes no personal data (answers, DUF numbers, names) to logs or output."""

import logging

import pytest
from sqlalchemy import text

from tests.helpers import log_in, make_code, post_section

ANSWER = "Kyrgyz-Tajik secret answer 7731"
BLOCK_UPDATES = {
    "sqlite": [
        "CREATE TRIGGER block_saves BEFORE UPDATE ON responses "
        "BEGIN SELECT RAISE(ABORT, 'saves are blocked'); END"
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION block_saves() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'saves are blocked'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER block_saves BEFORE UPDATE ON responses "
        "FOR EACH ROW EXECUTE FUNCTION block_saves()",
    ],
}


def block_response_updates(app) -> None:
    """Every UPDATE of a response fails inside the database, as a full disk or a bug would."""
    engine = app.extensions["kompass"].sessions.kw["bind"]
    with engine.begin() as connection:
        for statement in BLOCK_UPDATES[engine.dialect.name]:
            connection.execute(text(statement))


UNBLOCK_UPDATES = {
    "sqlite": ["DROP TRIGGER IF EXISTS block_saves"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS block_saves ON responses",
        "DROP FUNCTION IF EXISTS block_saves()",
    ],
}


@pytest.fixture
def failing_app(app):
    """The app, with the blocking trigger removed afterwards: PostgreSQL tests share a database."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield app
    engine = app.extensions["kompass"].sessions.kw["bind"]
    with engine.begin() as connection:
        for statement in UNBLOCK_UPDATES[engine.dialect.name]:
            connection.execute(text(statement))


def test_a_failed_save_logs_no_answer(failing_app, caplog):
    client = failing_app.test_client()
    log_in(client, make_code(failing_app.test_cli_runner()))
    answers = {"q.mother_tongue": "other"}
    assert post_section(client, "en", "personal", answers, "stay").status_code == 200
    block_response_updates(failing_app)
    with caplog.at_level(logging.DEBUG):
        answers["q.mother_tongue_other"] = ANSWER
        response = post_section(client, "en", "personal", answers, "stay")
    assert response.status_code == 500
    assert "saves are blocked" in caplog.text
    assert ANSWER not in caplog.text
    assert ANSWER not in "".join(str(record.exc_info) for record in caplog.records)
