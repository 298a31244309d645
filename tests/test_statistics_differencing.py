"""Suppression holds under differencing (issue 18 point 2).

Every view the statistics page and its CSV files offer (no filter, every municipality, year and
version and their combinations) is computed; every two published numbers that count nested sets
of persons — the same cell with and without a filter, a row and its total, a municipality and
its county, a view and its row in the view without its filter, a distribution's total and the
submitted persons — are subtracted, as a reader would, and no difference may be a small count.
"""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adminui import statistics, suppression
from adminui.suppression import HIDDEN, SMALL, THRESHOLD, reading
from engine.app.context import db_session, kompass
from engine.responses.storage import DRAFT, SUBMITTED
from tests.test_statistics import (
    BERGEN,
    ETNE,
    KINN,
    OSLO,
    SCHOOL,
    TWO_DEGREES,
    add_responses,
    publish_second_version,
)

ABSENT = "1103"  # Stavanger: nobody there
Cell = tuple[statistics.Filters, str, str, str]  # view, table, group, row


@pytest.fixture
def population(app, tmp_path):
    """The outside test's shapes: 20 in Bergen and 2 in Oslo (22 - 20 = 2), versions that
    differ by 2, a county of a small and a large municipality; drafts, two years."""
    add_responses(app, 20, BERGEN, TWO_DEGREES, year=2025)
    add_responses(app, 2, OSLO, SCHOOL, language="en", year=2025)
    add_responses(app, 3, BERGEN, SCHOOL, state=DRAFT)
    add_responses(app, 4, KINN, SCHOOL, year=2024)
    add_responses(app, 7, ETNE, TWO_DEGREES, language="ar", year=2024)
    publish_second_version(app, tmp_path)
    add_responses(app, 2, BERGEN, {"has_licence": "yes"}, year=2025, version=2)
    add_responses(app, 1, KINN, SCHOOL, year=2025, version=2)
    return app


def every_view() -> list[statistics.Filters]:
    places = [None, BERGEN, OSLO, KINN, ETNE, ABSENT]
    return [
        statistics.Filters(municipality=m, year=y, version=v)
        for m, y, v in itertools.product(places, [None, 2024, 2025], [None, 1, 2])
    ]


def published(app, views=None) -> dict[Cell, str]:
    """Every number each view (by default every view) shows, by (view, table, group, row)."""
    shown: dict[Cell, str] = {}
    with app.test_request_context():
        src = statistics.source(db_session(), "kompass")
        for view in views or every_view():
            for table in statistics.tables(db_session(), kompass().registry, src, view, "nb"):
                for group in table.groups:
                    for row in [*group.rows, group.total]:
                        shown[(view, table.key, group.code, row.code)] = row.shown
                if table.total is not None:
                    shown[(view, table.key, "", "all")] = table.total.shown
    return shown


def wider_views(view: statistics.Filters) -> list[statistics.Filters]:
    """The views that leave out one or more of this view's filters."""
    asked = [name for name, value in view.args().items() if value is not None]
    return [
        statistics.Filters(**{name: view.args()[name] for name in kept})
        for size in range(len(asked))
        for kept in itertools.combinations(asked, size)
    ]


def nested_pairs(shown: dict[Cell, str]):
    """(larger, smaller) cells whose persons include one another by construction."""
    for view, table, group, row in shown:
        cell = (view, table, group, row)
        for wider in wider_views(view):  # the same cell without a filter
            if (wider, table, group, row) in shown:
                yield (wider, table, group, row), cell
        if row not in (statistics.TOTAL, "all"):  # a row and its group's total
            yield (view, table, group, statistics.TOTAL), cell
        if table == "municipality" and row != "all":  # a county and the whole
            yield (view, table, "", "all"), cell
        if table == "county" and row != statistics.TOTAL:
            yield (view, "municipality", "", "all"), cell
        if table in {d.key for d in statistics.DISTRIBUTIONS} and row == statistics.TOTAL:
            yield (view, "state", "", SUBMITTED), cell  # answered ⊆ submitted
        if table == "state" and row == statistics.TOTAL:
            yield from _same_persons_wider(shown, view, cell)


def _same_persons_wider(shown, view, cell):
    """A view filtered by municipality or version is one row of the view without it."""
    args = view.args()
    for name, table, group in (("municipality", "municipality", None), ("version", "version", "")):
        if name not in args:
            continue
        wider = statistics.Filters(**{k: v for k, v in args.items() if k != name})
        for key in shown:
            same_row = key[:2] == (wider, table) and key[3] == str(args[name])
            if same_row and (group is None or key[2] == group):
                yield key, cell


def revealed(larger: str, smaller: str) -> tuple[float, float]:
    """The range of persons in the larger set and not in the smaller one, as a reader tells."""
    (big_low, big_high), (small_low, small_high) = reading(larger), reading(smaller)
    return max(0, big_low - small_high), big_high - small_low


def test_no_difference_of_two_published_numbers_is_a_small_count(population):
    shown = published(population)
    pairs = list(nested_pairs(shown))
    assert len(pairs) > 10_000  # every view, table and filter took part
    leaks = []
    for larger, smaller in pairs:
        big, small = shown[larger], shown[smaller]
        if big.isdigit() and small.isdigit() and 0 < int(big) - int(small) < THRESHOLD:
            leaks.append((larger, smaller, big, small))
        low, high = revealed(big, small)
        if low == high and 0 < low < THRESHOLD:
            leaks.append((larger, smaller, big, small))
    assert leaks == []


def test_the_outside_tests_differences_give_nothing(population):
    everyone, bergen = statistics.Filters(), statistics.Filters(municipality=BERGEN)
    version_1 = statistics.Filters(version=1)  # 39 and 36: 3 in version 2
    shown = published(population, [everyone, bergen, version_1])  # the views read below
    submitted = (shown[(everyone, "state", "", SUBMITTED)], shown[(bergen, "state", "", SUBMITTED)])
    assert submitted == ("35", "20")  # 36 and 22: the rest is 10 to 17, not Oslo's 2 shown
    assert shown[(everyone, "municipality", "Oslo", OSLO)] == SMALL
    assert (shown[(everyone, "version", "", "total")], shown[(version_1, "version", "", "total")],
            shown[(everyone, "version", "", "2")]) == ("40", "35", SMALL)  # fmt: skip


def test_a_filter_on_a_hidden_municipality_shows_nothing(app):
    """Kinn is hidden beside Bergen (<5) in Vestland; asking for Kinn alone must not show it."""
    add_responses(app, 4, BERGEN)
    add_responses(app, 7, KINN)
    add_responses(app, 7, ETNE)
    shown = published_for(app, statistics.Filters(), statistics.Filters(municipality=ETNE))
    assert shown[0]["municipality"][("Vestland", ETNE)] == HIDDEN
    assert set(shown[1]["state"].values()) == {HIDDEN}
    assert set(shown[1]["municipality"].values()) == {HIDDEN}


def published_for(app, *views) -> list[dict]:
    with app.test_request_context():
        src = statistics.source(db_session(), "kompass")
        made = [statistics.tables(db_session(), kompass().registry, src, v, "en") for v in views]
    return [{table.key: _cells(table) for table in tables} for tables in made]


def _cells(table) -> dict:
    return {(g.code, r.code): r.shown for g in table.groups for r in [*g.rows, g.total]}


def _possible(shown: dict[str, str], members: list[str]) -> list[dict[str, int]]:
    """Every assignment of true counts a reader cannot rule out (brute force)."""
    total_low, total_high = reading(shown["t"])
    ranges = [reading(shown[m]) for m in members]
    spans = [range(int(low), int(min(high, total_high)) + 1) for low, high in ranges]
    return [
        dict(zip(members, values, strict=True))
        for values in itertools.product(*spans)
        if total_low <= sum(values) <= total_high
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=1, max_size=3))
def test_a_reader_cannot_pin_a_hidden_cell_of_a_table(values):
    members = [f"m{i}" for i in range(len(values))]
    counts = dict(zip(members, values, strict=True)) | {"t": sum(values)}
    shown = suppression.suppress(counts, [("t", members)])
    assert all(shown[k] in (SMALL, HIDDEN) or int(shown[k]) % 5 == 0 for k in shown)
    if shown["t"] == HIDDEN:
        return  # nothing to subtract from
    possible = _possible(shown, members)
    assert counts_of(counts, members) in possible
    for member in members:
        if shown[member] in (SMALL, HIDDEN) and counts[member] > 0:
            assert len({assignment[member] for assignment in possible}) > 1, shown


def counts_of(counts: dict, members: list[str]) -> dict:
    return {m: counts[m] for m in members}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=12))
def test_narrowing_never_excludes_the_true_counts(values):
    """The reader's ranges always hold the truth (so pinned means pinned)."""
    members = [f"m{i}" for i in range(len(values))]
    counts = dict(zip(members, values, strict=True)) | {"t": sum(values)}
    groups = [("t", members)]
    ranges = suppression.bounds(suppression.suppress(counts, groups), groups)
    assert all(low <= counts[k] <= high and high > -math.inf for k, (low, high) in ranges.items())
