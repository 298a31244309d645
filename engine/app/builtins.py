"""The engine's own plugin: built-in question types and the engine's tables."""

from pathlib import Path

from engine.app.hookspecs import hookimpl
from engine.definition.qtypes import BUILTIN_TYPES


@hookimpl
def kompass_question_types():
    return BUILTIN_TYPES


@hookimpl
def kompass_migration_locations():
    return str(Path(__file__).parent.parent / "migrations" / "versions")
