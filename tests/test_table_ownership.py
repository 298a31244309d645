"""Each table belongs to one Alembic branch: its owner's (the engine or the plugin whose package
defines its model). Only that branch's migrations create or change it; a migration that refers to
another branch's table (a foreign key) depends on that branch, and only on branches of plugins
its plugin requires.

Migrations are read with `ast`: the table arguments of `op.*` calls and `ForeignKey("table.col")`.
Raw SQL in `op.execute` is not read.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory

from engine.app import migrate, plugins
from tests import plugin_helpers
from tests.plugin_helpers import ENGINE, migration_folders, parse, table_owners

# The position and keyword of the table an `op.*` call creates or changes.
CHANGES = {
    **dict.fromkeys(
        ("create_table", "drop_table", "rename_table", "add_column", "drop_column",
         "alter_column", "batch_alter_table"), (0, "table_name")),
    **dict.fromkeys(
        ("create_index", "drop_index", "create_unique_constraint", "create_check_constraint",
         "create_primary_key", "drop_constraint"), (1, "table_name")),
    "create_foreign_key": (1, "source_table"),
}  # fmt: skip
REFERS = {"create_foreign_key": (2, "referent_table")}  # op.create_foreign_key's other table
BATCH_REFERS = {"create_foreign_key": (1, "referent_table")}  # batch.create_foreign_key's


@dataclass
class Migration:
    revision: str
    path: Path
    owner: str
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    refers: list[str] = field(default_factory=list)


def test_each_table_is_created_once_and_in_its_owners_branch():
    created = defaultdict(list)
    for migration in _migrations():
        for table in migration.created:
            created[table].append(f"{migration.owner} ({migration.path.name})")
    wrong = [
        f"{table}, owned by {owner}, is created by: {', '.join(created[table]) or 'nothing'}"
        for table, owner in table_owners().items()
        if len(created[table]) != 1 or not created[table][0].startswith(f"{owner} (")
    ]
    assert wrong == []


def test_a_migration_creates_and_changes_only_its_own_branchs_tables():
    owners = {**_creators(), **table_owners()}
    foreign = [
        f"{m.path.name} ({m.owner}) changes {table}, owned by {owners.get(table)}"
        for m in _migrations()
        for table in m.created + m.changed
        if owners.get(table) != m.owner
    ]
    assert foreign == []


def test_a_migration_that_refers_to_another_branchs_table_depends_on_that_branch():
    owners = {**_creators(), **table_owners()}
    missing = [
        f"{m.path.name} ({m.owner}) refers to {table} without depending on {owners.get(table)}"
        for m in _migrations()
        for table in m.refers
        if owners.get(table) not in _ancestor_branches(m.revision) | {m.owner}
    ]
    assert missing == []


def test_a_branch_depends_only_on_the_engine_and_the_plugins_its_plugin_requires():
    needs = plugin_helpers.requires()
    owner_of = {m.revision: m.owner for m in _migrations()}
    undeclared = [
        f"{m.path.name} ({m.owner}) depends on {dependency} ({owner_of[dependency]})"
        for m in _migrations()
        for dependency in _dependencies(m.revision)
        if owner_of[dependency] not in {m.owner, ENGINE, *needs.get(m.owner, ())}
    ]
    assert undeclared == []


def test_every_table_name_in_the_migrations_could_be_read():
    unread = [m.path.name for m in _migrations() if None in m.created + m.changed + m.refers]
    assert unread == []


def _creators() -> dict[str, str]:
    return {table: m.owner for m in _migrations() for table in m.created}


def _ancestor_branches(revision: str) -> set[str]:
    """The owners of every revision this one comes after (down revisions and dependencies)."""
    owner_of = {m.revision: m.owner for m in _migrations()}
    seen, todo = set(), [revision]
    while todo:
        script = _scripts().get_revision(todo.pop())
        parents = [*_tuple(script.down_revision), *_dependencies(script.revision)]
        todo += [p for p in parents if p not in seen]
        seen.update(parents)
    return {owner_of[r] for r in seen}


def _dependencies(revision: str) -> list[str]:
    script = _scripts().get_revision(revision)
    return [_scripts().get_revision(d).revision for d in _tuple(script.dependencies)]


def _tuple(value) -> tuple:
    return () if value is None else (value,) if isinstance(value, str) else tuple(value)


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config(plugins.make_plugin_manager()))


@cache
def _migrations() -> list[Migration]:
    folders = migration_folders()
    found = []
    for script in _scripts().walk_revisions():
        path = Path(script.path)
        migration = Migration(script.revision, path, folders[path.parent])
        _read(parse(path), migration)
        found.append(migration)
    return found


def _read(tree: ast.Module, migration: Migration) -> None:
    constants = _constants(tree)
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        receiver, name = _called(call)
        if receiver == "op" and name in CHANGES:
            table = _argument(call, *CHANGES[name], constants)
            (migration.created if name == "create_table" else migration.changed).append(table)
        refers = REFERS if receiver == "op" else BATCH_REFERS if receiver == "batch" else {}
        if name in refers:
            migration.refers.append(_argument(call, *refers[name], constants))
        if name == "ForeignKey":
            column = _argument(call, 0, "column", constants)
            migration.refers.append(column and column.partition(".")[0])


def _called(call: ast.Call) -> tuple[str | None, str | None]:
    """('op', 'create_table') for `op.create_table(...)`, (None, 'ForeignKey') for a bare name."""
    func = call.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        return (func.value.id if isinstance(func.value, ast.Name) else None), func.attr
    return None, None


def _argument(call: ast.Call, position: int, keyword: str, constants: dict) -> str | None:
    """A string argument by position or keyword (a module constant's value too), else None."""
    named = {k.arg: k.value for k in call.keywords}
    node = call.args[position] if len(call.args) > position else named.get(keyword)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }
