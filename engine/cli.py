"""The `kompass` command: the operator's entry point (a Flask CLI group).

Commands that need the app live on `app.cli` (engine.commands and each plugin's own); this
group adds what must work even when the app cannot start, such as checking questionnaire files.
"""

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup

from engine import config
from engine.app import create_app
from engine.errors import QuestionnaireError
from engine.questionnaire_check import check_tree


def load_app():
    """The app, or a readable list of questionnaire errors instead of a traceback."""
    try:
        return create_app()
    except QuestionnaireError as exc:
        raise click.ClickException(
            f"the questionnaire files have errors; the app cannot start:\n{exc}"
        ) from exc


@click.group(cls=FlaskGroup, create_app=load_app)
def main() -> None:
    """Kompass: competence mapping. Settings come from KOMPASS_* environment variables."""


@main.group()
def questionnaire() -> None:
    """Questionnaire files."""


@questionnaire.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def questionnaire_check(path: Path | None) -> None:
    """Check every questionnaire and translation under PATH (default: the configured folder)."""
    folder = path or Path(config.load(config.PROJECT_ROOT / "instance")["QUESTIONNAIRES_DIR"])
    sys.exit(0 if check_tree(folder, click.echo) else 1)
