"""`make serve`: check the production settings, upgrade the database, then run gunicorn.

Refuses SQLite and missing keys with a clear message before anything starts, so a
misconfigured machine never serves. The gunicorn settings are in engine/app/gunicorn_conf.py.

One process makes the app, upgrades the database with it, warms it (the published questionnaire
read, the start page rendered) and then becomes gunicorn's master, whose workers are forked
from it ready to answer. Starting `kompass db upgrade` and then gunicorn, each importing and
making the app again and every worker once more, took 4.5-4.8 s to the first 200 on two cores;
see bench/README.md ("Start-up") for the figures now. The app is made as the process's own
(`engine/app/lifelong.py`), so forking it copies little.
"""

import argparse
import os
import sys

from flask import Flask
from gunicorn.app.base import Application

from engine.app import lifelong

REQUIRED_KEYS = ("KOMPASS_SECRET_KEY", "KOMPASS_EXPORT_PSEUDONYM_KEY")
WORKER_HEADER_SETTING = "KOMPASS_SERVE_WORKER_HEADER"
WORKER_HEADER = "X-Kompass-Worker"


class SettingsRefused(Exception):
    """A production setting is missing or unfit; the message says what to set."""


def check_settings(environ: dict) -> None:
    """Production runs on PostgreSQL with keys of its own, shared by every app machine."""
    url = environ.get("KOMPASS_DATABASE_URL", "")
    if not url:
        raise SettingsRefused(
            "KOMPASS_DATABASE_URL is not set. Production runs on PostgreSQL, for example "
            "postgresql+psycopg://kompass@db.example/kompass"
        )
    if not url.startswith("postgresql"):
        raise SettingsRefused(
            "KOMPASS_DATABASE_URL must be a PostgreSQL URL (postgresql+psycopg://...): "
            "SQLite cannot be shared by several workers or app machines."
        )
    for name in REQUIRED_KEYS:
        if not environ.get(name, "").strip():
            raise SettingsRefused(
                f"{name} is not set. Every app machine needs the same value: generate one with "
                "python3 -c 'import secrets; print(secrets.token_hex(32))' and keep it secret."
            )


def application() -> Flask:
    """The app; in test mode each response names the worker process."""
    from engine.app.factory import create_app

    app = create_app()
    if os.environ.get(WORKER_HEADER_SETTING) == "1":
        app.after_request(_name_worker)
    return app


def prepared_application(upgrade: bool) -> Flask:
    """The app made once for every worker: the database upgraded (unless not `upgrade`), the
    operator warned, the app warmed, and no database connection left open to be forked."""
    with lifelong.made_for_the_process():
        app = application()
        with app.app_context():
            if upgrade:
                from engine.app.commands import upgrade_database

                upgrade_database()
            for warning in version_warnings(app):
                print(warning, file=sys.stderr, flush=True)
        warm_up(app)
        app.extensions["kompass"].sessions.kw["bind"].dispose()
    return app


class Server(Application):
    """gunicorn's master with `app` already made: its workers are forked from this process."""

    def __init__(self, app: Flask, arguments: list[str]):
        self.app, self.arguments = app, arguments
        super().__init__()

    def init(self, parser, opts, args) -> None:
        return None

    def load(self) -> Flask:
        return self.app

    def load_config(self) -> None:
        """gunicorn's own reading of its options (our `arguments`, then GUNICORN_CMD_ARGS and
        the config module they name), which reads them from `sys.argv`."""
        given = sys.argv
        sys.argv = [given[0], *self.arguments]
        try:
            super().load_config()
        finally:
            sys.argv = given


def unpublished_warning(app: Flask) -> str | None:
    """What to tell the operator when no version of the active questionnaire is published:
    every respondent page would then say the form is not available."""
    state = app.extensions["kompass"]
    with state.sessions() as session:
        if state.registry.newest_id(session) is not None:
            return None
    name = state.registry.active_id
    return (
        f"kompass serve: no version of questionnaire '{name}' is published, so respondents are "
        f"told the form is not available. Publish one: kompass questionnaire publish {name} "
        "VERSION (docs/operations.md, 'A fresh install')."
    )


def warm_up(app: Flask) -> None:
    """Answer the app's root page once, before the workers are forked from this process.

    A new worker's first requests would each read the published questionnaire and compile
    templates (about half a second, measured by `make load`); its first users should not wait
    for that, and a worker recycled after `max_requests` is forked warm too. The root page is
    public and writes nothing."""
    with app.test_client() as client:
        client.get("/")


def _name_worker(response):
    response.headers[WORKER_HEADER] = str(os.getpid())
    return response


def gunicorn_arguments(args: argparse.Namespace) -> list[str]:
    return [
        "--config", "python:engine.app.gunicorn_conf",
        "--bind", args.bind,
        "--workers", str(args.workers),
        "--threads", str(args.threads),
    ]  # fmt: skip


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1), help="processes (2 × cores)"
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument("--no-upgrade", action="store_true", help="skip `kompass db upgrade`")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    try:
        check_settings(dict(os.environ))
    except SettingsRefused as refused:
        sys.exit(f"kompass serve: {refused}")
    app = prepared_application(upgrade=not args.no_upgrade)
    Server(app, gunicorn_arguments(args)).run()


def version_warnings(app: Flask) -> list[str]:
    """What the operator should know before the workers start: no published version, or
    published versions whose files were edited since (checked here once, not per worker)."""
    unpublished = unpublished_warning(app)
    state = app.extensions["kompass"]
    with state.sessions() as session:
        changed = state.registry.changed_files_warnings(session)
    return ([unpublished] if unpublished else []) + [f"kompass serve: {line}" for line in changed]


if __name__ == "__main__":
    main()
