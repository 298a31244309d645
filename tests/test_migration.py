"""The migration to published versions keeps every existing response, on SQLite and PostgreSQL."""

import json

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from engine.app import migrate, plugins
from engine.app.db import make_engine
from engine.app.factory import create_app
from tests.conftest import BACKENDS, TEST_SETTINGS, postgres_database

BEFORE = "e0002"
OLD_RESPONSES = [
    (1, "person:1", "draft", '{"school_years": 12, "education": [{"edu_name": "A"}, {}]}'),
    (2, "person:2", "submitted", '{"citizenship": "SY", "mother_tongue": "ar"}'),
]


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """A database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    with postgres_database("kompass_migration") as url:
        yield url


def _old_database(url: str) -> None:
    """The schema as it was before versions were frozen, with two responses in it."""
    engine = make_engine(url)
    config = migrate.alembic_config(plugins.make_plugin_manager())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE)
        for response_id, subject, state, answers in OLD_RESPONSES:
            connection.execute(
                text(
                    "INSERT INTO responses (id, subject, questionnaire_id, questionnaire_version,"
                    " language, state, answers, revision, created_at, updated_at, submitted_at,"
                    " mode) VALUES (:id, :subject, 'kompass', 1, 'ar', :state, :answers, 3,"
                    " '2025-01-01 10:00:00', '2025-01-02 10:00:00', :submitted, 'self')"
                ),
                {
                    "id": response_id, "subject": subject, "state": state, "answers": answers,
                    "submitted": "2025-01-02 10:00:00" if state == "submitted" else None,
                },
            )  # fmt: skip
    engine.dispose()


def test_existing_responses_survive_the_migration_and_their_version_is_frozen(empty_database):
    _old_database(empty_database)
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": empty_database})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Published kompass version 1, which existing responses use." in result.output
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.id, r.state, r.answers, r.revision, v.version, v.fingerprint"
                " FROM responses r JOIN questionnaire_versions v ON v.id = r.version_id"
                " ORDER BY r.id"
            )
        ).all()
        snapshots = connection.execute(
            text("SELECT response_id, number, answers FROM response_submissions")
        ).all()
    columns = {c["name"]: c for c in inspect(engine).get_columns("responses")}
    indexes = {i["name"] for i in inspect(engine).get_indexes("responses")}
    engine.dispose()
    app.extensions["kompass"].sessions.kw["bind"].dispose()
    draft, submitted = (_answers(r.answers) for r in rows)
    assert [(r.state, r.revision, r.version) for r in rows] == [
        ("draft", 3, 1), ("submitted", 3, 1)
    ]  # fmt: skip
    assert all(len(r.fingerprint) == 64 for r in rows)
    assert draft["school_years"] == 12 and [e.get("edu_name") for e in draft["education"]] == [
        "A", None
    ]  # fmt: skip
    entry_ids = [e["_id"] for e in draft["education"]]
    assert len(set(entry_ids)) == 2 and all(len(i) == 8 for i in entry_ids)
    assert submitted == {"citizenship": "SY", "mother_tongue": "ar"}
    assert [(s.response_id, s.number, _answers(s.answers)) for s in snapshots] == [
        (2, 1, submitted)
    ]
    assert "questionnaire_version" not in columns
    assert {"ix_responses_listing", "ix_responses_subject"} <= indexes
    if make_url(empty_database).get_backend_name() == "postgresql":
        assert columns["answers"]["type"].__class__.__name__ == "JSONB"


def _answers(value):
    return json.loads(value) if isinstance(value, str) else value


def test_the_migration_can_be_undone_without_losing_answers(empty_database):
    _old_database(empty_database)
    engine = make_engine(empty_database)
    migrate.upgrade(engine, plugins.make_plugin_manager())
    config = migrate.alembic_config(plugins.make_plugin_manager())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, questionnaire_version, answers FROM responses ORDER BY id")
        ).all()
    engine.dispose()
    assert [(r.id, r.questionnaire_version) for r in rows] == [(1, 1), (2, 1)]
    assert _answers(rows[1].answers) == {"citizenship": "SY", "mother_tongue": "ar"}


def test_the_second_factor_migration_keeps_users_and_can_be_undone(empty_database):
    engine = make_engine(empty_database)
    config = migrate.alembic_config(plugins.make_plugin_manager())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "s0002")
        connection.execute(
            text(
                "INSERT INTO staff_users (username, first_name, last_name, email, phone, active,"
                " password_hash, must_change_password, session_epoch, created_at) VALUES"
                " ('old', '', '', '', '', true, 'x', false, 0, '2025-01-01 10:00:00')"
            )
        )
    migrate.upgrade(engine, plugins.make_plugin_manager())
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT totp_secret, totp_enabled, totp_last_step FROM staff_users")
        ).one()
    assert (row.totp_secret, bool(row.totp_enabled), row.totp_last_step) == (None, False, None)
    assert "staff_recovery_codes" in inspect(engine).get_table_names()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "s0002")
    columns = {c["name"] for c in inspect(engine).get_columns("staff_users")}
    tables = inspect(engine).get_table_names()
    with engine.connect() as connection:
        names = connection.execute(text("SELECT username FROM staff_users")).scalars().all()
    engine.dispose()
    assert names == ["old"] and "totp_secret" not in columns
    assert "staff_recovery_codes" not in tables
