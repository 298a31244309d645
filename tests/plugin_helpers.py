"""What the plugin rules are checked against: each plugin's package, needs, modules and tables.

A module belongs to the plugin whose package holds it (`auth.people` for `auth.people.models`);
a module outside every plugin package belongs to the one plugin in its top-level package
(`renderers.cv` to `respondent_html`), else to none. Engine modules belong to "engine".
"""

import ast
from functools import cache
from itertools import combinations
from pathlib import Path

from engine.app import config, migrate, plugins

ROOT = config.PROJECT_ROOT
PLUGIN_FOLDERS = ("auth", "adminui", "renderers", "api")
ENGINE = "engine"


@cache
def packages() -> dict[str, str]:
    """Each installed plugin's package (its entry point module's parent), by plugin name."""
    return {name: ep.module.rpartition(".")[0] for name, ep in plugins.available_plugins().items()}


@cache
def requires() -> dict[str, tuple[str, ...]]:
    """Each installed plugin's `REQUIRES`, by plugin name."""
    found = plugins.available_plugins()
    return {name: plugins.requirements(name, ep.load()) for name, ep in found.items()}


def consistent_sets() -> list[frozenset[str]]:
    """Every set of installed plugins that holds what each of its plugins needs."""
    names, needs = sorted(requires()), requires()
    subsets = (frozenset(c) for size in range(len(names) + 1) for c in combinations(names, size))
    return [s for s in subsets if all(set(needs[name]) <= s for name in s)]


def owner(module: str) -> str | None:
    """The plugin a module belongs to ("engine" for the engine), or None."""
    if module.partition(".")[0] == ENGINE:
        return ENGINE
    for name, package in packages().items():
        if module == package or module.startswith(package + "."):
            return name
    top = module.partition(".")[0]
    sharing = [name for name, package in packages().items() if package.partition(".")[0] == top]
    return sharing[0] if len(sharing) == 1 else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def table_owners() -> dict[str, str]:
    """The owner of every model table (`__tablename__`) outside the migrations, by table."""
    owners = {}
    for path in source_files(ENGINE, *PLUGIN_FOLDERS):
        if "migrations" not in path.parts:
            for table in _table_names(parse(path)):
                owners[table] = owner(module_name(path))
    return owners


def _table_names(tree: ast.Module) -> list[str]:
    return [
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in node.targets)
        and isinstance(node.value, ast.Constant)
    ]


@cache
def migration_folders() -> dict[Path, str]:
    """Each Alembic branch's folder and who owns it: the engine or a plugin."""
    folders = {migrate.SCRIPT_LOCATION / "versions": ENGINE}
    for name, ep in plugins.available_plugins().items():
        location = getattr(ep.load(), "kompass_migration_locations", None)
        if location is not None:
            folders[Path(location())] = name
    return folders
