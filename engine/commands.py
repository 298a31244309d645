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
    result: dict[str, list] = {}
    with state.sessions() as session:
        for part in state.plugins.hook.kompass_demo_data(
            session=session, questionnaire=state.registry.active()
        ):
            for key, values in part.items():
                result.setdefault(key, []).extend(values)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for person in result.get("persons", []):
        click.echo(f"Demo person: DUF number {person['duf']}, login code {person['code']}")


def register(app: Flask) -> None:
    app.cli.add_command(db)
    app.cli.add_command(demo)
