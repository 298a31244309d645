"""Values shared by every app in a process: a thawed version (by fingerprint and question
types) and compiled templates (by source); neither can serve something stale."""

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError

from engine.app.template_cache import ProcessBytecodeCache
from engine.versions import published
from tests.conftest import _migrate
from tests.rating_helpers import rating_app, rating_tree


def _served(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        return state.registry.get(session, published.find(session, "kompass", 1).id)


def test_apps_with_the_same_version_and_types_share_one_thaw(app, published_database_url):
    from engine.app.factory import create_app
    from tests.conftest import TEST_SETTINGS

    other = create_app({**TEST_SETTINGS, "DATABASE_URL": published_database_url})
    assert _served(other) is _served(app)


def test_an_app_with_other_question_types_thaws_its_own(app, tmp_path):
    own = f"sqlite:///{tmp_path / 'rated.sqlite3'}"  # not `app`'s database, on either backend
    _migrate(own)
    rated = rating_app(own, rating_tree(tmp_path))
    assert _served(rated) is not _served(app)
    assert "rating" in _served(rated).types and "rating" not in _served(app).types


def test_a_changed_template_is_compiled_anew():
    cache = ProcessBytecodeCache()
    templates = {"page.html": "first {{ x }}"}
    first = Environment(loader=DictLoader(templates), bytecode_cache=cache)
    assert first.get_template("page.html").render(x=1) == "first 1"
    templates["page.html"] = "second {{ x }}"
    second = Environment(loader=DictLoader(templates), bytecode_cache=cache)
    assert second.get_template("page.html").render(x=2) == "second 2"
    again = Environment(loader=DictLoader(templates), bytecode_cache=cache)
    assert again.get_template("page.html").render(x=3) == "second 3"


def test_templates_compiled_with_other_extensions_are_kept_apart():
    cache = ProcessBytecodeCache()
    templates = {"page.html": "{% set items = [] %}{% do items.append(1) %}{{ items }}"}
    with_do = Environment(loader=DictLoader(templates), bytecode_cache=cache,
                          extensions=["jinja2.ext.do"])  # fmt: skip
    assert with_do.get_template("page.html").render() == "[1]"
    plain = Environment(loader=DictLoader(templates), bytecode_cache=cache)
    with pytest.raises(TemplateSyntaxError, match="'do'"):
        plain.get_template("page.html")
