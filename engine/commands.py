"""Operator commands that need the app: `kompass db upgrade`, `kompass demo`."""

import json

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from engine import migrate
from engine.context import kompass

db = AppGroup("db", help="Database schema.")


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest revision."""
    state = kompass()
    migrate.upgrade(state.sessions.kw["bind"], state.plugins)
    click.echo("Database is up to date.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def demo(as_json: bool) -> None:
    """Load demo data and print how to log in."""
    state = kompass()
    with state.sessions() as session:
        parts = state.plugins.hook.kompass_demo_data(
            session=session, questionnaire=state.registry.active()
        )
    result = merge_demo_parts(parts)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for person in result.get("persons", []):
        details = ", ".join(f"{k} {v}" for k, v in person.items() if k not in ("duf", "code"))
        click.echo(f"Person: DUF {person['duf']}  code {person.get('code', '-')}  ({details})")
    for user in result.get("users", []):
        click.echo(
            f"Staff user: {user['username']}  password {user['password']}  "
            f"({', '.join(user['roles'])})"
        )


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
