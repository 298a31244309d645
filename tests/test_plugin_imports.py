"""No import cycle between plugins, and a plugin imports only from plugins it declares it needs.

The graph is read from the source (every .py file under auth/, adminui/ and renderers/, with
`ast`), so an import inside a function counts as much as one at the top.
"""

import ast
from collections import defaultdict
from functools import cache
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise
from typing import NamedTuple

from tests import plugin_helpers
from tests.plugin_helpers import PLUGIN_FOLDERS, module_name, owner, parse, source_files

Edges = dict[tuple[str, str], str]  # (plugin, plugin it imports) -> one import that shows it


class Import(NamedTuple):
    place: str  # file:line
    module: str
    target: str

    def owners(self) -> tuple[str | None, str | None]:
        return owner(self.module), owner(self.target)


def test_no_module_outside_a_plugin_takes_part_in_an_import():
    assert [f"{i.place} imports {i.target}" for i in _imports() if None in i.owners()] == []


def test_there_is_no_import_cycle_between_plugins():
    graph = defaultdict(set)
    for importer, imported in _plugin_edges():
        graph[importer].add(imported)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as cycle:
        raise AssertionError(_describe(cycle.args[1][::-1], _plugin_edges())) from None


def test_a_plugin_imports_only_plugins_it_requires():
    needs = plugin_helpers.requires()
    undeclared = [
        f"{importer} imports {imported} ({shown}), but its REQUIRES does not name it"
        for (importer, imported), shown in _plugin_edges().items()
        if imported not in needs[importer]
    ]
    assert undeclared == []


def _describe(cycle: list[str], edges: Edges) -> str:
    steps = [f"{a} -> {b}: {edges[a, b]}" for a, b in pairwise(cycle)]
    return "import cycle between plugins " + " -> ".join(cycle) + "\n" + "\n".join(steps)


def _plugin_edges() -> Edges:
    edges: Edges = {}
    for found in _imports():
        importer, imported = found.owners()
        if None not in (importer, imported) and importer != imported:
            edges.setdefault((importer, imported), f"{found.place} imports {found.target}")
    return edges


@cache
def _imports() -> list[Import]:
    """Every import, in a file under a plugin folder, of a module under a plugin folder."""
    modules = {module_name(p) for p in source_files(*PLUGIN_FOLDERS)}
    found = []
    for path in source_files(*PLUGIN_FOLDERS):
        here, shown = module_name(path), path.relative_to(plugin_helpers.ROOT)
        for node in ast.walk(parse(path)):
            for target in _targets(node, here, modules):
                if target.partition(".")[0] in PLUGIN_FOLDERS:
                    found.append(Import(f"{shown}:{node.lineno}", here, target))
    return found


def _targets(node: ast.AST, here: str, modules: set[str]) -> list[str]:
    """The modules an import statement loads (`from a import b` loads `a.b` if it is one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = _absolute(node, here)
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]


def _absolute(node: ast.ImportFrom, here: str) -> str:
    if not node.level:
        return node.module or ""
    package = here.rsplit(".", node.level)[0]
    return f"{package}.{node.module}" if node.module else package
