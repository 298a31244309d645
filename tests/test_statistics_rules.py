"""The statistics page's rules one by one, most without a database: which filters and years
are offered, what each distribution counts a person in, how tables and places are built, and
what a withheld view shows (issue 18 point 10: each rule a mutant showed unchecked)."""

from collections import Counter
from datetime import UTC, datetime
from functools import cache

import pytest

from adminui import statistics, statistics_use
from adminui.formatting import OSLO as OSLO_TIME
from adminui.statistics import Filters, Group, Row, Table, Tally
from adminui.suppression import HIDDEN, SMALL
from engine.app import config, plugins
from engine.responses.storage import Response
from engine.versions import published, publishing
from tests.test_publication_rules import add_rows
from tests.test_statistics import BERGEN, ETNE, KINN, OSLO, add_responses

VERSIONS = {1: 11, 2: 12}


def test_only_the_filters_that_are_set_are_named():
    assert Filters().args() == {}
    assert Filters(municipality=BERGEN, version=2).args() == {"municipality": BERGEN, "version": 2}
    assert Filters(year=2025).args() == {"year": 2025}


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ({}, Filters()),
        ({"municipality": BERGEN, "year": "2025", "version": "2"}, Filters(BERGEN, 2025, 2)),
        ({"municipality": "9999"}, Filters()),  # no such municipality
        ({"municipality": ""}, Filters()),
        ({"year": "1900"}, Filters(year=1900)),
        ({"year": "9998"}, Filters(year=9998)),
        ({"year": "1899"}, Filters()),
        ({"year": "9999"}, Filters()),
        ({"year": "02025"}, Filters()),  # five digits
        ({"year": "20x5"}, Filters()),
        ({"year": " 2025"}, Filters()),
        ({"version": "3"}, Filters()),  # not published
        ({"version": "000001"}, Filters(version=1)),  # six digits
        ({"version": "0000001"}, Filters()),  # seven
        ({"version": "-1"}, Filters()),
    ],
)
def test_a_filter_that_is_not_one_of_the_choices_is_left_out(asked, expected):
    assert statistics.parse_filters(asked, VERSIONS) == expected


def test_a_row_has_a_value_only_when_its_number_is_shown():
    assert Row("a", "A", "15").value == 15
    assert Row("a", "A", SMALL).value is None
    assert Row("a", "A", HIDDEN).value is None


def test_a_tally_counts_persons_per_cell_and_group_and_the_versions_answered_in():
    tally = Tally()
    tally.add({("read", "good"), ("speak", "basic")}, 11)
    tally.add({("read", "good")}, 12)
    tally.add(set(), 13)
    assert tally.cells == {("read", "good"): 2, ("speak", "basic"): 1}
    assert tally.totals == {"read": 2, "speak": 1}
    assert tally.versions == {11, 12}


@cache
def kompass_v1():
    manager = plugins.make_plugin_manager()
    root, types = config.PROJECT_ROOT / "questionnaires", plugins.question_types(manager)
    return publishing.load_from_files(root, "kompass", 1, types, plugins.uses(manager))


def values_of(key: str, answers: dict) -> set:
    """How the Kompass questionnaire's `uses: statistics:` counts one person in table `key`."""
    questionnaire = kompass_v1()
    question = statistics_use.counted(questionnaire)[key]
    return statistics_use.values(questionnaire, key, question)(answers)


def test_each_person_counts_once_at_their_highest_education_level():
    answers = {"education": [{"edu_level": "3"}, {"edu_level": "10"}, {"edu_level": "6"},
                             {"edu_level": "x"}, {"edu_level": 9}, "not an entry"]}  # fmt: skip
    assert values_of("education_level", answers) == {("", "10")}
    assert values_of("education_level", {"education": [{"edu_level": "x"}]}) == set()
    assert values_of("education_level", {"education": {"edu_level": "3"}}) == set()
    assert values_of("education_level", {}) == set()


def test_several_chosen_values_count_a_person_in_each():
    several = statistics_use._several("licence_categories")
    assert several({"licence_categories": ["B", "C", 1]}) == {("", "B"), ("", "C")}
    assert several({"licence_categories": "B"}) == set()
    assert several({}) == set()
    assert values_of("licence_classes", {"licence_categories": ["B"]}) == {("", "B")}


def test_one_chosen_value_counts_a_person_once():
    single = statistics_use._single("has_licence")
    assert single({"has_licence": "yes"}) == {("", "yes")}
    assert single({"has_licence": ["yes"]}) == set()
    assert single({}) == set()
    assert values_of("licence", {"has_licence": "no"}) == {("", "no")}


def test_a_scale_counts_each_row_with_its_answer():
    scale = statistics_use._scale("norwegian_level")
    answers = {"norwegian_level": {"read": "good", "speak": None, "write": "basic"}}
    assert scale(answers) == {("read", "good"), ("write", "basic")}
    assert scale({"norwegian_level": ["good"]}) == set()
    assert scale({}) == set()
    assert values_of("norwegian", {"norwegian_level": {"read": "good"}}) == {("read", "good")}
    assert values_of("digital", {"digital_tasks": {"search": "alone"}}) == {("search", "alone")}


def test_a_value_of_an_entry_counts_a_person_once_per_value():
    jobs = statistics_use._in_entries("jobs", "job_isco")
    answers = {"jobs": [{"job_isco": "7"}, {"job_isco": "7"}, {"job_isco": "2"}, {"job_isco": 3},
                        "not an entry"]}  # fmt: skip
    assert jobs(answers) == {("", "7"), ("", "2")}
    assert jobs({"jobs": {"job_isco": "7"}}) == set()
    assert jobs({"education": [{"job_isco": "7"}]}) == set()
    assert values_of("occupation", {"jobs": [{"job_isco": "7"}]}) == {("", "7")}
    assert values_of("field", {"education": [{"edu_field": "07"}]}) == {("", "07")}


def test_a_flat_table_has_its_rows_in_the_given_order_and_a_suppressed_total():
    counter = {"b": 9, "a": 3, "c": 10}
    table = statistics._flat("key", "Title", "About", [("b", "B"), ("a", "A"), ("c", "C")],
                             counter)  # fmt: skip
    assert (table.key, table.title, table.description, table.chart) == (
        "key", "Title", "About", True,
    )  # fmt: skip
    [group] = table.groups
    assert [(r.code, r.label, r.shown) for r in group.rows] == [
        ("b", "B", "10"), ("a", "A", SMALL), ("c", "C", "10"),
    ]  # fmt: skip
    assert (group.code, group.total) == ("", Row("total", "Total", "20"))


def test_rows_of_a_table_where_a_person_counts_several_times_are_not_summed():
    """Each row is at most the total; summed, the same rows would pin the small one."""
    groups = [("", "", [("a", "A"), ("b", "B"), ("c", "C")])]
    cells = {("", "a"): 4, ("", "b"): 7, ("", "c"): 7}
    several = statistics._table("k", "T", "D", groups, cells, {"": 7}, several=True)
    assert [r.shown for r in several.groups[0].rows] == [SMALL, "5", "5"]
    assert several.groups[0].total.shown == "5"
    summed = statistics._table("k", "T", "D", groups, cells, {"": 18})
    assert [r.shown for r in summed.groups[0].rows] == [SMALL, HIDDEN, "5"]


def test_places_are_counties_and_municipalities_by_name_the_unknown_last():
    county, municipality = statistics._places({OSLO: 20, BERGEN: 30, KINN: 10, ETNE: 5, "": 6})
    assert (county.key, municipality.key) == ("county", "municipality")
    assert (county.chart, municipality.chart) == (True, False)
    [counties] = county.groups
    assert [(r.code, r.label, r.shown) for r in counties.rows] == [
        ("Oslo", "Oslo", "20"), ("Vestland", "Vestland", "45"), ("", "Unknown", "5"),
    ]  # fmt: skip
    assert counties.total == Row("total", "Total", "70") == municipality.total
    assert [(g.code, g.label, g.total.shown) for g in municipality.groups] == [
        ("Oslo", "Oslo", "20"), ("Vestland", "Vestland", "45"), ("", "Unknown", "5"),
    ]  # fmt: skip
    vestland = municipality.groups[1]
    assert [(r.code, r.label, r.shown) for r in vestland.rows] == [
        (BERGEN, "Bergen (4601)", "30"), (ETNE, "Etne (4611)", "5"), (KINN, "Kinn (4602)", "10"),
    ]  # fmt: skip
    assert municipality.groups[2].rows == [Row("", "Unknown", "5")]


def test_a_withheld_view_keeps_every_row_and_hides_every_number():
    total = Row("total", "Total", "20")
    table = Table("k", "T", "D", [Group("g", "G", [Row("a", "A", "10"), Row("b", "B", SMALL)],
                                        total)], total)  # fmt: skip
    hidden = statistics._all_hidden(table)
    assert hidden == Table("k", "T", "D", [
        Group("g", "G", [Row("a", "A", HIDDEN), Row("b", "B", HIDDEN)], Row("total", "Total",
                                                                          HIDDEN)),
    ], Row("total", "Total", HIDDEN))  # fmt: skip
    assert statistics._all_hidden(Table("k", "T", "D", [])).total is None


def test_the_years_offered_run_from_the_first_submission_to_this_year_in_oslo(app):
    this_year = datetime.now(OSLO_TIME).year
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert statistics.years(session, "kompass") == [this_year]
        add_responses(app, 1, year=2024)
        version_id = published.find(session, "kompass", 1).id
        for questionnaire_id, sent in (
            ("kompass", datetime(2022, 12, 31, 23, 30, tzinfo=UTC)),  # 2023 in Oslo
            ("other", datetime(2020, 6, 1, tzinfo=UTC)),
        ):
            session.add(Response(subject=f"person:{questionnaire_id}", version_id=version_id,
                                 questionnaire_id=questionnaire_id, language="nb",
                                 state="submitted", answers={}, submitted_at=sent))  # fmt: skip
        session.commit()
        assert statistics.years(session, "kompass") == list(range(2023, this_year + 1))


def test_a_view_of_a_version_hidden_among_the_versions_is_withheld(app):
    """4, 7 and 7 persons in versions 1–3: version 2 is hidden (":") to protect version 1."""
    add_rows(app, ("kompass", 2, "f"), ("kompass", 3, "f"))
    for version, persons in ((1, 4), (2, 7), (3, 7)):
        add_responses(app, persons, version=version)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        src = statistics.source(session, "kompass")
        assert src.versions.keys() == {1, 2, 3}
        withheld = {n: statistics.withheld(session, src, Filters(version=n)) for n in (1, 2, 3)}
        assert withheld == {1: False, 2: True, 3: False}
        assert statistics.withheld(session, src, Filters(version=2, year=2025)) is True
        assert statistics.withheld(session, src, Filters()) is False


def spec(key: str) -> statistics.Distribution:
    return next(d for d in statistics.DISTRIBUTIONS if d.key == key)


def test_labels_come_from_the_versions_that_can_be_served(app):
    """Answers in a version that cannot be served (None) still get labels from another; the
    table keeps its title and description, and a scale's rows are named in the language."""
    tally = Tally()
    tally.add({("", "yes")}, 11)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        served = app.extensions["kompass"].registry.active(session)
    frozen = [(11, None), (12, served), (13, None)]
    table = statistics._distribution(spec("licence"), tally, frozen, "en")
    assert (table.title, table.description) == (str(spec("licence").title),
                                                 str(spec("licence").description))  # fmt: skip
    [group] = table.groups
    assert [(row.code, row.label) for row in group.rows][:2] == [("yes", "Yes"), ("no", "No")]
    scale = Tally()
    scale.add({("read", "good")}, 12)
    norwegian = statistics._distribution(spec("norwegian"), scale, frozen, "en")
    labels = {group.code: group.label for group in norwegian.groups}
    assert (labels["read"], labels["understand"]) == ("Read", "Understand")


def test_a_distribution_where_a_person_counts_several_times_is_not_summed(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        served = app.extensions["kompass"].registry.active(session)
    cells = Counter({("", "A"): 4, ("", "B"): 7, ("", "C"): 7})
    tally = Tally(cells=cells, totals=Counter({"": 7}), versions={12})
    table = statistics._distribution(spec("licence_classes"), tally, [(12, served)], "en")
    shown = {row.code: row.shown for row in table.groups[0].rows}
    assert (shown["A"], shown["B"], shown["C"]) == (SMALL, "5", "5")
    assert table.groups[0].total.shown == "5"
