"""`make serve`: production settings are checked before anything starts, and gunicorn's
workers share nothing but PostgreSQL (a lockout made through one worker holds in the other)."""

import http.client
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask

from bench.load.server import KEYS, free_port, serving
from engine.app import serve
from tests.conftest import (
    BACKENDS,
    POSTGRES_ENV,
    TEST_SETTINGS,
    _migrate,
    postgres_database,
    publish,
)
from tests.helpers import make_code

POSTGRES_URL = "postgresql+psycopg://kompass@db.example/kompass"
WRONG_CODE = "AAAAAA"


def refusal(environ: dict) -> str:
    with pytest.raises(serve.SettingsRefused) as refused:
        serve.check_settings(environ)
    return str(refused.value)


def test_production_settings_are_accepted():
    serve.check_settings({"KOMPASS_DATABASE_URL": POSTGRES_URL, **KEYS})


def test_a_missing_database_url_is_refused():
    assert "KOMPASS_DATABASE_URL is not set" in refusal(KEYS)


def test_sqlite_is_refused():
    message = refusal({"KOMPASS_DATABASE_URL": "sqlite:///kompass.sqlite3", **KEYS})
    assert "must be a PostgreSQL URL" in message and "SQLite" in message


@pytest.mark.parametrize("key", serve.REQUIRED_KEYS)
@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_missing_key_is_refused(key, value):
    environ = {"KOMPASS_DATABASE_URL": POSTGRES_URL, **KEYS}
    if value is None:
        del environ[key]
    else:
        environ[key] = value
    assert f"{key} is not set" in refusal(environ)


def test_the_command_stops_with_the_message_before_starting_anything():
    environ = {**os.environ, "KOMPASS_DATABASE_URL": POSTGRES_URL, **KEYS}
    del environ["KOMPASS_SECRET_KEY"]
    finished = run_serve(environ)
    assert finished.returncode == 1
    assert finished.stderr.startswith("kompass serve: KOMPASS_SECRET_KEY is not set")
    assert "gunicorn" not in finished.stdout + finished.stderr


def test_gunicorn_runs_the_app_with_gthread_workers_and_no_small_connection_limit():
    from engine.app import gunicorn_conf

    args = serve._arguments(["--workers", "3", "--threads", "4", "--bind", "0.0.0.0:9000"])
    server = serve.Server(Flask("made"), serve.gunicorn_arguments(args))
    assert server.load().name == "made"
    assert (server.cfg.workers, server.cfg.threads) == (3, 4)
    assert server.cfg.address == [("0.0.0.0", 9000)]
    assert server.cfg.worker_class_str == "gthread"
    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.worker_connections >= 1000 and gunicorn_conf.backlog >= 1000


def test_serving_with_nothing_published_says_how_to_publish(unpublished_app):
    warning = serve.unpublished_warning(unpublished_app)
    assert "no version of questionnaire 'kompass' is published" in warning
    assert "kompass questionnaire publish kompass VERSION" in warning
    publish(unpublished_app, "kompass", 1)
    assert serve.unpublished_warning(unpublished_app) is None


def test_the_workers_are_forked_from_an_app_that_has_read_the_questionnaire(app):
    registry = app.extensions["kompass"].registry
    assert not registry._thawed
    serve.warm_up(app)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert list(registry._thawed) == [registry.newest_id(session)]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """Two gunicorn workers on a throwaway PostgreSQL with two persons who have a code; each
    response names its worker (test mode). On SQLite: its URL, which serving must refuse."""
    if request.param == "sqlite":
        if os.environ.get("CI") == "true" and POSTGRES_ENV not in os.environ:
            pytest.fail(f"CI must set {POSTGRES_ENV}: these tests need PostgreSQL")
        yield f"sqlite:///{tmp_path_factory.mktemp('serve') / 'kompass.sqlite3'}"
        return
    from engine.app.factory import create_app

    with postgres_database("kompass_serve") as url:
        _migrate(url)
        app = create_app({**TEST_SETTINGS, **_keys(), "DATABASE_URL": url})
        publish(app, "kompass", 1)
        runner = app.test_cli_runner()
        codes = {duf: make_code(runner, duf) for duf in ("202000000001", "202000000002")}
        app.extensions["kompass"].sessions.kw["bind"].dispose()
        settings = {
            serve.WORKER_HEADER_SETTING: "1", "KOMPASS_CLIENT_MAX_FAILURES": "10000",
            # idle connections stay open longer than the clients wait: a connection limit
            # cannot be hidden by the server closing idle ones
            "GUNICORN_CMD_ARGS": "--keep-alive 60",
        }  # fmt: skip
        with serving(url, workers=2, extra_env=settings) as base:
            yield base, codes


def _keys() -> dict:
    return {"SECRET_KEY": KEYS["KOMPASS_SECRET_KEY"]}


def run_serve(environ: dict) -> subprocess.CompletedProcess:
    """The serve command on a free port; one that does not stop by itself fails the test."""
    command = [sys.executable, "-m", "engine.app.serve", "--bind", f"127.0.0.1:{free_port()}"]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


def refused_to_serve(url: str) -> bool:
    """The serve command stops at once on this database with its message."""
    finished = run_serve({**os.environ, **KEYS, "KOMPASS_DATABASE_URL": url})
    return finished.returncode == 1 and "must be a PostgreSQL URL" in finished.stderr


def _fresh_login(base: str, duf: str, code: str, lang: str = "en") -> requests.Response:
    """A log-in over new connections, as a new visitor."""
    with requests.Session() as visitor:
        visitor.headers["Connection"] = "close"
        page = visitor.get(f"{base}/{lang}/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"csrf_token": token, "duf": duf, "code": code}
        return visitor.post(f"{base}/{lang}/login", data=data, allow_redirects=False)


def test_a_lockout_made_through_one_worker_holds_in_the_other(server):
    if isinstance(server, str):
        assert refused_to_serve(server)
        return
    base, codes = server
    locked, free = sorted(codes)
    failures = [_fresh_login(base, locked, WRONG_CODE) for _ in range(5)]
    assert [f.status_code for f in failures] == [422] * 5
    refused_by, attempts = set(), 0
    while len(refused_by) < 2 and attempts < 200:
        answer = _fresh_login(base, locked, codes[locked])
        assert answer.status_code == 422, "the right code got through a lockout"
        refused_by.add(answer.headers[serve.WORKER_HEADER])
        attempts += 1
    assert len(refused_by) == 2, f"only worker {refused_by} answered in {attempts} log-ins"
    assert _fresh_login(base, free, codes[free]).status_code == 302


def test_a_session_made_by_one_worker_is_known_by_the_other(server):
    if isinstance(server, str):
        assert refused_to_serve(server)
        return
    base, codes = server
    person = sorted(codes)[1]
    with requests.Session() as respondent:
        token = respondent.get(f"{base}/en/login").text.split('csrf_token" value="')[1][:200]
        data = {"csrf_token": token.split('"')[0], "duf": person, "code": codes[person]}
        assert respondent.post(f"{base}/en/login", data=data, allow_redirects=False).ok
        respondent.headers["Connection"] = "close"
        served_by = set()
        for _ in range(200):
            page = respondent.get(f"{base}/en/form/personal", allow_redirects=False)
            assert page.status_code == 200
            served_by.add(page.headers[serve.WORKER_HEADER])
            if len(served_by) == 2:
                break
        assert len(served_by) == 2


def test_two_hundred_simultaneous_connections_are_all_served(server):
    """The outside test: with waitress's default 100 connections, 102 of 200 waited in vain."""
    if isinstance(server, str):
        assert refused_to_serve(server)
        return
    base, _ = server
    address = urlsplit(base)
    connections = [http.client.HTTPConnection(address.hostname, address.port, timeout=30)]
    connections += [
        http.client.HTTPConnection(address.hostname, address.port, timeout=30) for _ in range(199)
    ]
    for connection in connections:
        connection.connect()
        connection.request("GET", "/healthz")
    statuses = []
    for connection in connections:
        answer = connection.getresponse()
        answer.read()
        statuses.append(answer.status)  # the connection stays open (keep-alive)
    for connection in connections:
        connection.close()
    assert statuses == [200] * 200


PREPARED = """
from engine.app import serve
from sqlalchemy import inspect
app = serve.prepared_application(upgrade=True)
state = app.extensions["kompass"]
engine = state.sessions.kw["bind"]
pooled = engine.pool.checkedin()
print("tables" if "responses" in inspect(engine).get_table_names() else "no tables")
print("warmed" if state.registry._thawed else "cold")
print(f"{pooled} pooled connections")
"""


@pytest.mark.parametrize("published", [False, True])
def test_the_app_the_workers_are_forked_from_is_upgraded_warmed_and_holds_no_connection(
    published, published_database_url, tmp_path
):
    url = published_database_url if published else f"sqlite:///{tmp_path / 'new.sqlite3'}"
    environment = {**os.environ, **KEYS, "KOMPASS_DATABASE_URL": url}
    finished = subprocess.run(
        [sys.executable, "-c", PREPARED], env=environment, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    expected = ["tables", "warmed" if published else "cold", "0 pooled connections"]
    assert finished.stdout.split("\n")[-4:-1] == expected
