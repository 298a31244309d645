"""Find, switch on and check plugins.

Plugins are found through the `kompass.plugins` entry point group (as indico does) and switched
on by the `PLUGINS` setting; pluggy validates every implementation against `engine.app.hookspecs`
when it is registered, so a misspelt hook or argument fails at start-up. A plugin module names
the plugins it needs in `REQUIRES` (a tuple of entry point names); start-up stops when one of
them is not enabled.
"""

from importlib import import_module
from importlib.metadata import entry_points

import pluggy

from engine.app import builtins, hookspecs
from engine.definition.qtypes import QuestionType
from engine.definition.uses import Use

ENTRY_POINT_GROUP = "kompass.plugins"


class PluginError(RuntimeError):
    """A plugin is missing, needs a plugin that is not enabled, or two plugins claim the same
    thing."""


def available_plugins() -> dict[str, object]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def enabled(setting: str) -> list[str] | None:
    """The plugins the `PLUGINS` setting names (None: every installed one)."""
    names = [name.strip() for name in setting.split(",") if name.strip()]
    return names or None


def make_plugin_manager(enabled: list[str] | None = None) -> pluggy.PluginManager:
    """A plugin manager with the engine's built-ins and the enabled plugins registered."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.register(builtins, name="builtins")
    found = available_plugins()
    names = list(found) if enabled is None else enabled
    unknown = [name for name in names if name not in found and not _is_module_path(name)]
    if unknown:
        raise PluginError(f"unknown plugin(s) {unknown}; installed: {sorted(found)}")
    loaded = {name: _load(name, found) for name in names}
    _check_requirements(loaded, found)
    for name, plugin in loaded.items():
        manager.register(plugin, name=name)
    manager.check_pending()
    return manager


def _is_module_path(name: str) -> bool:
    """A plugin not installed as a package is named by its module's dotted path (a plugin in
    development, or one of the tests' plugins)."""
    return "." in name


def _load(name: str, found: dict) -> object:
    if name in found:
        return found[name].load()
    try:
        return import_module(name)
    except ImportError as error:
        raise PluginError(f"plugin module '{name}' cannot be imported: {error}") from error


def requirements(name: str, plugin: object) -> tuple[str, ...]:
    """The names of the plugins `plugin` needs (its module's `REQUIRES`)."""
    needed = getattr(plugin, "REQUIRES", ())
    if not isinstance(needed, tuple) or not all(isinstance(n, str) for n in needed):
        raise PluginError(f"plugin '{name}': REQUIRES must be a tuple of plugin names")
    return needed


def _check_requirements(loaded: dict[str, object], installed: dict[str, object]) -> None:
    """Every plugin an enabled plugin needs is enabled too; else one line per gap."""
    gaps = [
        _gap(name, needed, installed)
        for name, plugin in loaded.items()
        for needed in requirements(name, plugin)
        if needed not in loaded
    ]
    if gaps:
        raise PluginError("\n".join(gaps))


def _gap(name: str, needed: str, installed: dict[str, object]) -> str:
    state = "not enabled (KOMPASS_PLUGINS)" if needed in installed else "not installed"
    return f"plugin '{name}' needs plugin '{needed}', which is {state}"


def uses(manager: pluggy.PluginManager) -> dict[str, Use]:
    """Every plugin's use of questionnaires (`uses:` entries) by key; a duplicate is an error."""
    return _by_name(manager.hook.kompass_questionnaire_uses(), "key", "questionnaire use")


def question_types(manager: pluggy.PluginManager) -> dict[str, QuestionType]:
    """Every registered question type by name; a duplicate name is an error."""
    return _by_name(manager.hook.kompass_question_types(), "name", "question type")


def _by_name(provided: list[list], attribute: str, what: str) -> dict:
    found: dict = {}
    for items in provided:
        for item in items:
            name = getattr(item, attribute)
            if name in found:
                raise PluginError(f"{what} '{name}' is registered twice")
            found[name] = item
    return found
