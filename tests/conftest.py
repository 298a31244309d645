"""Fixtures: an app on a fresh database per test, on SQLite and (when configured) PostgreSQL."""

import gc
import os
import re
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.app import migrate, plugins
from engine.app.db import Base, make_engine, throwaway_postgres
from engine.app.factory import create_app
from engine.versions import published, publishing
from tests import postgres_reset
from tests.shared_url_builders import share_url_builders


def installed_once(find_plugins: Callable[[], dict]) -> Callable[[], dict]:
    """The installed plugins read once per run: each app looks them up among every installed
    package's entry points (about 20 ms an app) and nothing is installed while the tests run;
    a test that fakes plugins patches over this."""
    found = cache(find_plugins)
    return lambda: dict(found())


# Speed is measured by `make bench`, never by a deadline on a shared two-core machine, where a
# busy neighbour made hypothesis's default 200 ms fail once; examples stay as each test sets.
settings.register_profile("kompass", deadline=None)
settings.load_profile("kompass")
share_url_builders()  # an app per test; its routes' compiled URL builders are the same
# A test process allocates an app, a database and their objects per test: with the default
# first-generation threshold (700) the collector ran about 4,800 times and 22 full collections
# in 123 tests, 14 % of the process's CPU. At 20,000 it runs 115 times and once in full; the
# process's CPU fell 6-10 % in alternating runs, its peak memory stayed the same (579 MiB).
gc.set_threshold(20_000, 10, 10)


class ClosingClient(FlaskClient):
    """The tests' client reads a streamed response whole and closes it, as a WSGI server closes
    every response: a stream that a test only looks at the status of would otherwise keep its
    request, and a database transaction with its locks, open. A test that reads a stream in
    pieces asks for `buffered=False` and closes the response itself."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


Flask.test_client_class = ClosingClient
plugins.available_plugins = installed_once(plugins.available_plugins)

# Tests, and the `kompass` commands they start, run as development (see engine/app/config.py).
os.environ.setdefault("KOMPASS_ENV", "development")
POSTGRES_ENV = "KOMPASS_TEST_DATABASE_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(POSTGRES_ENV) else [])
SNAPSHOT = "published_snapshot"
TEST_SETTINGS = {
    "PASSWORD_HASH_COST": "fast",
    "SECRET_KEY": "test-secret",
    "EXPORT_PSEUDONYM_KEY": "test-pseudonym-key",
    "PLUGINS": "",
    "PDF_MACHINE_RENDERERS": 0,  # test workers render at once; tests/test_pdf_pool.py tests it
}


def pytest_collection_modifyitems(config, items):
    """A module marked `database_incidental` tests files, text or rendering, which read and
    write the database only on their way: it runs on SQLite alone, as the browser tests do
    (tests/browser/conftest.py). Everything below its pages is tested on both databases by the
    rest of the suite, and a second run would add minutes."""
    kept, dropped = [], []
    for item in items:
        on_postgresql = getattr(item, "callspec", None) and (
            item.callspec.params.get("migrated_database") == "postgresql"
        )
        incidental = item.get_closest_marker("database_incidental") is not None
        (dropped if on_postgresql and incidental else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_database(request, tmp_path_factory):
    """A migrated database made for this test run, dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'template.sqlite3'}"
        _migrate(url)
        yield url
        return
    with postgres_database("kompass_test") as url:
        _migrate(url)
        postgres_reset.install(url)
        yield url


@pytest.fixture(scope="session")
def database_backend(migrated_database) -> str:
    """The database this test runs on: "sqlite" or "postgresql"."""
    return make_url(migrated_database).get_backend_name()


@contextmanager
def postgres_database(prefix: str):
    """A new, empty PostgreSQL database of our own, dropped afterwards. Its commits do not wait
    for the disk (`synchronous_commit = off`): what a test sees is the same, and nothing of a
    test database has to outlive a crash."""
    with throwaway_postgres(os.environ[POSTGRES_ENV], prefix) as url:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            name = make_url(url).database
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        engine.dispose()
        yield url


def _migrate(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine, plugins.make_plugin_manager())
    engine.dispose()


@pytest.fixture
def database_url(migrated_database, tmp_path):
    """An empty, migrated database for one test."""
    return fresh_database(migrated_database, tmp_path)


def fresh_database(migrated_database: str, directory: Path) -> str:
    """The migrated database emptied (PostgreSQL) or copied into `directory` (SQLite).

    The audit log refuses DELETE, so SQLite gets a fresh copy of the migrated file, and
    PostgreSQL DELETEs with triggers off and its sequences restarted (tests/postgres_reset.py):
    a TRUNCATE of every table took about 0.45 s a test, DELETE of a test's few rows 7 ms.
    """
    if migrated_database.startswith("sqlite"):
        copy = directory / "kompass.sqlite3"
        shutil.copyfile(make_url(migrated_database).database, copy)
        return f"sqlite:///{copy}"
    postgres_reset.reset(migrated_database, None)
    return migrated_database


def serving(url: str, settings: dict | None = None):
    """The app on the database at `url`, its connections closed afterwards.

    A connection still checked out then is held by garbage in a reference cycle (a stream a
    test left, with its transaction open): only the collector gives it back, and with the
    threshold above a full collection comes about once in a hundred tests. Meanwhile its
    transaction's locks made a later test's DROP TRIGGER wait for ever on PostgreSQL, so such
    a test's garbage is collected here."""
    application = create_app({**(settings or TEST_SETTINGS), "DATABASE_URL": url})
    yield application
    engine = application.extensions["kompass"].sessions.kw["bind"]
    if engine.pool.checkedout():
        gc.collect()
    engine.dispose()


@pytest.fixture
def unpublished_app(database_url):
    """The app on an empty database: no questionnaire version is published yet."""
    yield from serving(database_url)


class Templates:
    """Databases with questionnaires published once per run, by name, that tests copy: a
    database file (SQLite), or a snapshot schema of the rows publishing wrote (PostgreSQL)."""

    def __init__(self, migrated_database: str, folders):
        self.migrated, self.folders, self.urls = migrated_database, folders, {}

    def get(self, name: str, publish_into: Callable[[str], None]) -> str:
        """The template `name`, made by `publish_into(url)` at its first use in this run."""
        if name not in self.urls:
            self.urls[name] = self._make(name, publish_into)
        return self.urls[name]

    def _make(self, name: str, publish_into: Callable[[str], None]) -> str:
        if self.migrated.startswith("sqlite"):
            path = self.folders.mktemp(f"published-{name}") / "published.sqlite3"
            shutil.copyfile(make_url(self.migrated).database, path)
            publish_into(f"sqlite:///{path}")
            return f"sqlite:///{path}"
        url = fresh_database(self.migrated, None)
        publish_into(url)
        _snapshot(url, f"{SNAPSHOT}_{name}")
        return f"{url}#{SNAPSHOT}_{name}"


def _snapshot(url: str, schema: str) -> None:
    """Every table that publishing filled, copied into `schema`."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        for table in Base.metadata.sorted_tables:
            if connection.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")')).scalar():
                connection.execute(
                    text(f'CREATE TABLE {schema}."{table.name}" AS TABLE "{table.name}"')
                )
    engine.dispose()


@pytest.fixture(scope="session")
def templates(migrated_database, tmp_path_factory) -> Templates:
    return Templates(migrated_database, tmp_path_factory)


@pytest.fixture(scope="session")
def published_template(templates):
    """Version 1 of Kompass published once per run (see `Templates`)."""

    def publish_kompass(url: str) -> None:
        for application in serving(url):
            publish(application, "kompass", 1)

    return templates.get("kompass", publish_kompass)


@pytest.fixture(scope="session")
def two_questionnaires(templates, tmp_path_factory):
    """Kompass and the small second questionnaire (tests/second_questionnaire.py) published once
    per run: the template and the questionnaires folder (tests must not change it)."""
    from tests.second_questionnaire import publish_both, write_second
    from tests.translation_helpers import copy_tree

    root = write_second(copy_tree(tmp_path_factory.mktemp("two")))
    return templates.get("two", lambda url: publish_both(url, root)), root


@pytest.fixture
def published_database_url(published_template, tmp_path):
    """A database for one test with version 1 of Kompass published, as `kompass demo` does:
    the template copied, not an empty database first (no test asks for both)."""
    return published_copy(published_template, tmp_path)


def published_copy(template: str, directory: Path) -> str:
    """A copy of a template in `directory` (SQLite), or the template's test database emptied
    and given the template's rows (PostgreSQL)."""
    if template.startswith("sqlite"):
        copy = directory / "published.sqlite3"
        shutil.copyfile(make_url(template).database, copy)
        return f"sqlite:///{copy}"
    url, schema = template.split("#")
    postgres_reset.reset(url, schema)
    return url


@pytest.fixture
def app(published_database_url):
    """The app with version 1 of the Kompass questionnaire published, as `kompass demo` does."""
    yield from serving(published_database_url)


@cache
def _from_files(root: Path, questionnaire_id: str, version: int, types: tuple):
    return publishing.load_from_files(root, questionnaire_id, version, dict(types))


def publish(app, questionnaire_id: str, version: int) -> published.Publication:
    """Publish a version of the app's questionnaire folder (files read once per test run)."""
    state = app.extensions["kompass"]
    root = Path(app.config["KOMPASS_QUESTIONNAIRES_DIR"])
    types = tuple(sorted(state.registry.types.items()))
    questionnaire = _from_files(root, questionnaire_id, version, types)
    with state.sessions() as session:
        directory = root / questionnaire_id / str(version)
        return published.publish(session, questionnaire, directory)


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider on loopback (tests/oidc/provider.js): its issuer URL."""
    from tests.oidc_helpers import running_provider

    with running_provider() as issuer:
        yield issuer


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def logged_in(client, runner):
    """A respondent logged in with a fresh code."""
    from tests.helpers import log_in, make_code

    log_in(client, make_code(runner))
    return client


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html).group(1)


@pytest.fixture
def tree(tmp_path):
    """A copy of the real questionnaires folder that a test may change."""
    from tests.translation_helpers import copy_tree

    return copy_tree(tmp_path)
