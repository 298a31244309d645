"""The export's subject filters are the plugins' (`kompass_export_filters`) and run in SQL: the
person registry's municipality is an option of `kompass export`, a choice on the staff page and
a condition of the export's own query, never a filter over rows already read."""

from types import SimpleNamespace

import pytest

from engine.app.factory import create_app
from engine.export import cli, rows
from engine.export import filters as export_filters
from engine.export import layout as layouts
from engine.export.criteria import Asked, criteria
from engine.export.filters import SubjectFilter
from tests.conftest import TEST_SETTINGS
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login
from tests.test_export import answered, download
from tests.test_export_criteria import LANGUAGES, OSLO


@pytest.fixture
def placed(app):
    """Two submitted responses of persons in 4601, one in 0301."""
    for duf, place in (("202000000001", "4601"), ("202000000002", "4601"),
                       ("202000000003", "0301")):  # fmt: skip
        answered(app, add_person(app, duf, municipality=place))
    return app


def made(app, session, **values):
    hook = app.extensions["kompass"].plugins.hook
    asked = Asked("kompass", filters=values)
    return criteria(session, asked, OSLO, export_filters.collect(hook))


def test_the_export_query_itself_holds_the_municipality(placed):
    state = placed.extensions["kompass"]
    with placed.app_context(), state.sessions() as session:
        statement = rows.query(made(placed, session, municipality="4601"))
        sql = str(statement.compile(session.bind, compile_kwargs={"literal_binds": True}))
        assert "persons.municipality = '4601'" in sql
        fetched = session.execute(statement).all()
        assert len(fetched) == 2
        assert len(session.execute(rows.query(made(placed, session))).all()) == 3


def test_rows_come_filtered_without_the_plugins_values(placed):
    """The stream keeps every row the query gives: it needs no plugin's values to filter."""
    state = placed.extensions["kompass"]
    with placed.app_context(), state.sessions() as session:
        found = made(placed, session, municipality="4601")
        versions = [state.registry.get(session, i) for i in found.version_ids.values()]
        layout = layouts.build(versions, [], LANGUAGES)
        streamed = rows.stream(session, layout, found, lambda subjects: {}, rows.Identified())
        assert [table for table, _ in streamed].count(layouts.RESPONSES) == 2


def test_the_command_has_an_option_per_plugin_filter(app, tmp_path):
    shown = app.test_cli_runner().invoke(args=["export", "--help"])
    assert shown.exit_code == 0 and "--municipality" in shown.output
    assert "A municipality number, e.g. 4601." in shown.output
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    alone = create_app({**TEST_SETTINGS, "DATABASE_URL": url, "PLUGINS": "respondent_html"})
    shown = alone.test_cli_runner().invoke(args=["export", "--help"])
    assert shown.exit_code == 0 and "--format" in shown.output
    assert "--municipality" not in shown.output
    alone.extensions["kompass"].sessions.kw["bind"].dispose()


def a_filter(name: str) -> SubjectFilter:
    return SubjectFilter(name, "", "", "", "", choices=list, where=lambda value: None)


def test_a_filter_named_twice_or_like_an_option_stops_start_up():
    twice = SimpleNamespace(kompass_export_filters=lambda: [[a_filter("x")], [a_filter("x")]])
    with pytest.raises(ValueError, match="named twice by the plugins: x"):
        export_filters.collect(twice)
    with pytest.raises(ValueError, match=r"like an option of kompass export: \['format'\]"):
        cli.command([a_filter("format")])
    assert [p.name for p in cli.command([a_filter("place")]).params][-1] == "place"


def test_the_staff_page_offers_the_plugins_choices_and_refuses_others(placed):
    add_user(placed, "analyst", ["analytiker"], None)
    client = placed.test_client()
    staff_login(client, "analyst")
    page = client.get("/admin/eksport").text
    assert '<select name="municipality">' in page and '<option value="4601">' in page
    assert "<label>Kommune <select" in page and ">Alle kommuner</option>" in page  # translated
    refused = download(client, format="csv", municipality="9999")
    assert refused.status_code == 422 and "Velg en kommune fra listen." in refused.text
    assert download(client, format="csv", municipality="4601").status_code == 200
    add_user(placed, "bergen", ["kommuneadmin"], "4601")
    staff_login(municipal := placed.test_client(), "bergen")
    page = municipal.get("/admin/eksport").text
    assert "<p>Kommune: Bergen (4601)</p>" in page and 'name="municipality"' not in page
