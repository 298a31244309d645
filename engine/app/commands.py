"""Operator commands that need the app: `kompass db upgrade`, `kompass demo`."""

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from engine.app import migrate
from engine.app.context import kompass
from engine.export import cli as export_cli
from engine.export import filters as export_filters
from engine.responses import retention_cli
from engine.translation import recorded_catalogues
from engine.translation.catalogues import INTERFACE_FOLDER
from engine.versions import publishing

db = AppGroup("db", help="Database schema.")


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest revision."""
    upgrade_database()


def upgrade_database() -> None:
    """`kompass db upgrade` in the app's context (also run by `make serve` before it serves)."""
    state = kompass()
    migrate.upgrade(state.sessions.kw["bind"], state.plugins)
    with state.sessions() as session:
        for reserved in publishing.freeze_reserved(
            session, _root(), state.registry.types, state.registry.uses
        ):
            _report_reserved(reserved)
        for language, number in recorded_catalogues.record_folder(session, _interface_folder()):
            click.echo(f"Interface catalogue {language}: recorded as revision {number}.")
    click.echo("Database is up to date.")


def _report_reserved(reserved: publishing.Reserved) -> None:
    name = f"{reserved.questionnaire_id} version {reserved.version}"
    if reserved.problem is None:
        click.echo(f"Published {name}, which existing responses use.")
    else:
        click.echo(
            f"Responses use {name}, which could not be published from its files "
            f"({reserved.problem}); they stay unavailable until it is: "
            f"kompass questionnaire publish {reserved.questionnaire_id} {reserved.version}",
            err=True,
        )


def _root() -> Path:
    return Path(current_app.config["KOMPASS_QUESTIONNAIRES_DIR"])


def _interface_folder() -> Path:
    return _root() / INTERFACE_FOLDER


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def demo(as_json: bool) -> None:
    """Load demo data and print how to log in."""
    state = kompass()
    with state.sessions() as session:
        publication = publishing.ensure_published(
            session,
            _root(),
            state.registry.active_id,
            state.registry.types,
            state.registry.uses,
        )
        if publication is not None and not as_json:
            click.echo(f"Published {publication.row.questionnaire_id} "
                       f"version {publication.row.version}.")  # fmt: skip
        parts = state.plugins.hook.kompass_demo_data(
            session=session, questionnaire=state.registry.active(session)
        )
    result = merge_demo_parts(parts)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for person in result.get("persons", []):
        click.echo("Person: " + "  ".join(f"{key} {value}" for key, value in person.items()))
    for user in result.get("users", []):
        click.echo(
            f"Staff user: {user['username']}  password {user['password']}  "
            f"({', '.join(user['roles'])})"
        )
        for note in user.get("notes", []):
            click.echo(f"    {note}")


def merge_demo_parts(parts: list[dict]) -> dict[str, list]:
    """Plugins return {key: {id: {...}}}; entries with the same id are merged into one."""
    merged: dict[str, dict] = {}
    for part in parts:
        for key, entries in part.items():
            for entry_id, fields in entries.items():
                merged.setdefault(key, {}).setdefault(entry_id, {}).update(fields)
    return {key: list(entries.values()) for key, entries in merged.items()}


def register(app: Flask) -> None:
    app.cli.add_command(db)
    app.cli.add_command(demo)
    hook = app.extensions["kompass"].plugins.hook
    app.cli.add_command(export_cli.command(export_filters.collect(hook)))
    app.cli.add_command(retention_cli.group)
