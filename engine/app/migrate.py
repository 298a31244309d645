"""Schema migrations with Alembic; each plugin brings its own branch of revisions.

Alembic is imported when a migration is looked at, not when the app starts: every command and
worker would otherwise pay for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).parent.parent / "migrations"


def alembic_config(plugins: pluggy.PluginManager) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("path_separator", "os")
    locations = plugins.hook.kompass_migration_locations()
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def upgrade(engine: Engine, plugins: pluggy.PluginManager) -> None:
    """Bring the database to the newest revision of every branch."""
    from alembic import command

    config = alembic_config(plugins)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def state(engine: Engine, plugins: pluggy.PluginManager) -> str:
    """'current' when every revision of every branch has been applied, else 'needs-upgrade'."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(plugins))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    applied = {r.revision for r in script.iterate_revisions(current, "base")} if current else set()
    return "current" if set(script.get_heads()) <= applied else "needs-upgrade"
