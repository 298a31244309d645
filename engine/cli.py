"""The `kompass` command: the operator's entry point (a Flask CLI group)."""

import json
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup

from engine import migrate
from engine.app import create_app
from engine.context import kompass
from engine.questionnaire_check import check_tree


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Kompass: competence mapping. Settings come from KOMPASS_* environment variables."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest revision."""
    state = kompass()
    migrate.upgrade(state.sessions.kw["bind"], state.plugins)
    click.echo("Database is up to date.")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
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


@main.group()
def questionnaire() -> None:
    """Questionnaire files."""


@questionnaire.command("check", context_settings={"ignore_unknown_options": False})
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def questionnaire_check(ctx: click.Context, path: Path | None) -> None:
    """Check every questionnaire and translation under PATH (default: the configured folder)."""
    from engine import config

    folder = path or Path(config.load(config.PROJECT_ROOT / "instance")["QUESTIONNAIRES_DIR"])
    ok = check_tree(folder, click.echo)
    sys.exit(0 if ok else 1)
