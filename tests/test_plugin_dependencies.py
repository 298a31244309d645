"""Plugins declare the plugins they need (`REQUIRES`): a missing one stops start-up with its name,
and every set of plugins that holds what it needs migrates to exactly its owners' tables."""

from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from engine.app import migrate, plugins
from engine.app.cli import main
from engine.app.db import make_engine
from tests import plugin_helpers

NOT_ENABLED = "plugin '{}' needs plugin '{}', which is not enabled (KOMPASS_PLUGINS)"
WITHOUT_CODE_LOGIN = "people,staff,adminui,respondent_html"


def test_every_plugin_declares_what_it_needs():
    for name, ep in plugins.available_plugins().items():
        assert isinstance(getattr(ep.load(), "REQUIRES", None), tuple), name


@pytest.mark.parametrize("name", sorted(plugin_helpers.requires()))
def test_a_plugin_alone_names_each_plugin_it_needs(name):
    needed = plugin_helpers.requires()[name]
    if not needed:
        plugins.make_plugin_manager([name])
        return
    with pytest.raises(plugins.PluginError) as refused:
        plugins.make_plugin_manager([name])
    assert str(refused.value).splitlines() == [NOT_ENABLED.format(name, n) for n in needed]


def test_a_plugin_that_is_not_installed_is_named(monkeypatch):
    module = SimpleNamespace(REQUIRES=("nowhere",))
    monkeypatch.setattr(plugins, "available_plugins", lambda: {"odd": _EntryPoint(module)})
    with pytest.raises(plugins.PluginError) as refused:
        plugins.make_plugin_manager(["odd"])
    assert str(refused.value) == "plugin 'odd' needs plugin 'nowhere', which is not installed"


def test_requires_must_be_a_tuple_of_names(monkeypatch):
    module = SimpleNamespace(REQUIRES="people")
    monkeypatch.setattr(plugins, "available_plugins", lambda: {"odd": _EntryPoint(module)})
    with pytest.raises(plugins.PluginError, match="plugin 'odd': REQUIRES must be a tuple"):
        plugins.make_plugin_manager(["odd"])


class _EntryPoint:
    def __init__(self, module):
        self.module = module

    def load(self):
        return self.module


def test_db_upgrade_without_a_needed_plugin_names_it_and_changes_nothing(tmp_path):
    database = tmp_path / "kompass.sqlite3"
    env = {"KOMPASS_PLUGINS": WITHOUT_CODE_LOGIN, "KOMPASS_DATABASE_URL": f"sqlite:///{database}"}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 1, result.output
    assert f"Error: {NOT_ENABLED.format('staff', 'code_login')}" in result.output
    assert NOT_ENABLED.format("adminui", "code_login") in result.output
    assert "Traceback" not in result.output and not database.exists()


@pytest.mark.parametrize(
    "enabled", plugin_helpers.consistent_sets(), ids=lambda s: ",".join(sorted(s)) or "none"
)
def test_every_consistent_set_of_plugins_upgrades_to_its_own_tables(enabled, tmp_path):
    manager = plugins.make_plugin_manager(sorted(enabled))
    engine = make_engine(f"sqlite:///{tmp_path / 'kompass.sqlite3'}")
    migrate.upgrade(engine, manager)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    state = migrate.state(engine, manager)
    engine.dispose()
    owners = plugin_helpers.table_owners()
    assert tables == {t for t, owner in owners.items() if owner in enabled | {"engine"}}
    assert state == "current"
