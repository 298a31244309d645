"""Backup and restore (docs/operations.md): tools/backup.sh dumps a real database with
pg_dump -Fc, tools/restore.sh restores it into another, and the app reads the same data."""

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from auth.people.models import Person
from engine.app.factory import create_app
from engine.responses.storage import Response
from tests.conftest import (
    BACKENDS,
    POSTGRES_ENV,
    TEST_SETTINGS,
    _migrate,
    postgres_database,
    publish,
)  # fmt: skip
from tests.helpers import log_in, make_code, post_section

TOOLS = Path(__file__).resolve().parent.parent / "tools"
DUF = "202000000000"
ANSWERS = {"q.citizenship": "SY", "q.mother_tongue": "ar"}


def run_tool(name: str, url: str, file: Path) -> subprocess.CompletedProcess:
    environ = {**os.environ, "KOMPASS_DATABASE_URL": url}
    return subprocess.run(
        [str(TOOLS / name), str(file)], env=environ, capture_output=True, text=True
    )


def app_on(url: str):
    return create_app({**TEST_SETTINGS, "DATABASE_URL": url})


def stored(app) -> tuple[str, dict, str]:
    """The person's DUF number, and their response's answers and state, as the app reads them."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        person = session.scalars(select(Person).where(Person.duf == DUF)).one()
        response = session.scalars(select(Response).where(Response.subject == person.subject))
        response = response.one()
        return person.duf, response.answers, response.state


@pytest.fixture(params=BACKENDS)
def backend(request):
    postgres_missing = POSTGRES_ENV not in os.environ
    if request.param == "sqlite" and os.environ.get("CI") == "true" and postgres_missing:
        pytest.fail(f"CI must set {POSTGRES_ENV}: backup and restore need PostgreSQL")
    return request.param


def test_a_backup_restored_into_another_database_holds_the_same_data(backend, tmp_path):
    dump = tmp_path / "kompass.dump"
    if backend == "sqlite":
        refused = run_tool("backup.sh", f"sqlite:///{tmp_path / 'k.sqlite3'}", dump)
        assert refused.returncode == 2 and "not a PostgreSQL URL" in refused.stderr
        assert not dump.exists()
        return
    with postgres_database("kompass_backup") as source:
        _migrate(source)
        app = app_on(source)
        publish(app, "kompass", 1)
        client = app.test_client()
        assert log_in(client, make_code(app.test_cli_runner(), DUF)).status_code == 302
        assert post_section(client, "en", "personal", ANSWERS).status_code == 302
        before = stored(app)
        app.extensions["kompass"].sessions.kw["bind"].dispose()
        backed_up = run_tool("backup.sh", source, dump)
        assert backed_up.returncode == 0, backed_up.stderr
    with postgres_database("kompass_restore") as target:
        restored = run_tool("restore.sh", target, dump)
        assert restored.returncode == 0, restored.stderr
        app = app_on(target)
        assert stored(app) == before == (DUF, {"citizenship": "SY", "mother_tongue": "ar"}, "draft")
        assert app.test_client().get("/healthz").json["status"] == "ok"
        app.extensions["kompass"].sessions.kw["bind"].dispose()


def test_restore_refuses_a_damaged_file_and_restores_nothing(backend, tmp_path):
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(b"PGDMP not really a dump")
    if backend == "sqlite":
        refused = run_tool("restore.sh", f"sqlite:///{tmp_path / 'k.sqlite3'}", damaged)
        assert refused.returncode == 2 and "not a PostgreSQL URL" in refused.stderr
        return
    with postgres_database("kompass_restore") as target:
        assert run_tool("restore.sh", target, damaged).returncode != 0
        app = app_on(target)
        assert app.test_client().get("/healthz").status_code == 503
        app.extensions["kompass"].sessions.kw["bind"].dispose()
