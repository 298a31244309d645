"""Helpers for translation tests: a copy of the questionnaires folder and an app serving it."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from engine import config, publishing
from engine.app import create_app
from engine.cli import main
from tests.conftest import TEST_SETTINGS


def copy_tree(tmp_path: Path) -> Path:
    root = tmp_path / "questionnaires"
    shutil.copytree(config.PROJECT_ROOT / "questionnaires", root)
    return root


def kompass(root: Path, *args: str):
    """Run `kompass ARGS` on the questionnaires folder `root`."""
    env = {"KOMPASS_QUESTIONNAIRES_DIR": str(root)}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def published_app(database_url: str, root: Path):
    """An app serving `root`, with version 1 published from its files as they are now."""
    app = create_app(
        {**TEST_SETTINGS, "DATABASE_URL": database_url, "QUESTIONNAIRES_DIR": str(root)}
    )
    state = app.extensions["kompass"]
    with state.sessions() as session:
        publishing.publish_from_files(
            session, root, "kompass", 1, state.registry.types, state.registry.uses
        )
    return app
