"""Helpers for translation tests: a copy of the questionnaires folder and an app serving it."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from engine.app import config
from engine.app.cli import main
from engine.app.factory import create_app
from engine.versions import publishing
from tests.conftest import TEST_SETTINGS


def copy_tree(tmp_path: Path) -> Path:
    root = tmp_path / "questionnaires"
    shutil.copytree(config.PROJECT_ROOT / "questionnaires", root)
    return root


def kompass(root: Path, *args: str, database_url: str | None = None):
    """Run `kompass ARGS` on the questionnaires folder `root` (and a database that does not
    exist, unless one is given)."""
    env = {
        "KOMPASS_QUESTIONNAIRES_DIR": str(root),
        "KOMPASS_DATABASE_URL": database_url or f"sqlite:///{root.parent / 'no-database.sqlite3'}",
    }
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def app_on_copy(published_database_url: str, root: Path):
    """An app serving `root`, an unchanged copy of the questionnaires, on a database where
    version 1 is published already (the run's template): the same as `published_app`, without
    loading and freezing the files again."""
    return create_app(
        {**TEST_SETTINGS, "DATABASE_URL": published_database_url, "QUESTIONNAIRES_DIR": str(root)}
    )


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
