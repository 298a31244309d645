"""Small-cell protection rule by rule (adminui/suppression.py): what a reader can work out of a
table, with rows that add up and with rows a person can count in several times, and which cell
is hidden next (issue 18 point 10: each rule a mutant showed unchecked)."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from adminui import suppression
from adminui.suppression import HIDDEN, SMALL, bounds, suppress

PLACES = [("c1", ["m1", "m2"]), ("c2", ["m3", "m4"]), ("t", ["c1", "c2"]),
          ("t", ["m1", "m2", "m3", "m4"])]  # fmt: skip


def test_a_hidden_member_is_narrowed_by_its_total_less_the_others():
    """Summed rows: 13–17 in all, 8–12 in a, so b holds 5 (hidden means 5 or more) to 9."""
    assert bounds({"t": "15", "a": "10", "b": HIDDEN}, [("t", ["a", "b"])]) == {
        "t": [13, 17], "a": [8, 12], "b": [5, 9],
    }  # fmt: skip


def test_a_shown_member_is_narrowed_by_its_total_less_the_others_at_their_most():
    """18–22 in all and 5–7 in b: a ("10", 8–12) is at least 11, b at least 6, and the total at
    most 19 (a at most 12 and b at most 7)."""
    assert bounds({"t": "20", "a": "10", "b": "5"}, [("t", ["a", "b"])]) == {
        "t": [18, 19], "a": [11, 12], "b": [6, 7],
    }  # fmt: skip


def test_a_total_is_narrowed_by_the_sum_of_its_rows():
    shown = {"t": HIDDEN, "a": "10", "b": "5"}
    assert bounds(shown, [("t", ["a", "b"])])["t"] == [13, 19]
    assert bounds(shown, [("t", ["a", "b"])], overlapping=True)["t"] == [8, 19]


def test_a_member_cannot_be_worked_out_beyond_what_the_total_leaves():
    """18–22 in all and 8–12 in a: b is at least 6 (hidden, so at most 22 − 8)."""
    assert bounds({"t": "20", "a": "10", "b": HIDDEN}, [("t", ["a", "b"])])["b"] == [6, 14]


def test_overlapping_rows_are_each_at_most_the_total_and_do_not_add_up():
    """A person can be in several rows: b is only known to be at most the total."""
    shown = {"t": "15", "a": "10", "b": HIDDEN}
    assert bounds(shown, [("t", ["a", "b"])], overlapping=True) == {
        "t": [13, 17], "a": [8, 12], "b": [5, 17],
    }  # fmt: skip
    alike = {"t": "5", "a": "5", "b": "5"}
    assert bounds(alike, [("t", ["a", "b"])], overlapping=True) == {
        "t": [5, 7], "a": [5, 7], "b": [5, 7],
    }  # fmt: skip


def test_narrowing_goes_on_until_nothing_changes():
    """m2 gets an upper bound only once c1 got one from the grand total."""
    shown = {"T": "20", "c1": HIDDEN, "c2": "10", "m1": "5", "m2": HIDDEN}
    assert bounds(shown, [("c1", ["m1", "m2"]), ("T", ["c1", "c2"])]) == {
        "T": [18, 22], "c1": [10, 14], "c2": [8, 12], "m1": [5, 7], "m2": [5, 9],
    }  # fmt: skip


def test_a_member_narrowed_in_one_group_narrows_its_own_members_next():
    """Only the grand total's group changes c1 (a member there); m1 then gets a bound too."""
    shown = {"T": "20", "c1": HIDDEN, "c2": "10", "m1": HIDDEN, "m2": SMALL}
    assert bounds(shown, [("c1", ["m1", "m2"]), ("T", ["c1", "c2"])]) == {
        "T": [18, 22], "c1": [6, 14], "c2": [8, 12], "m1": [5, 14], "m2": [0, 4],
    }  # fmt: skip


def test_overlapping_rows_are_not_hidden_for_adding_up_to_more_than_the_total():
    counts = {"a": 4, "b": 7, "c": 7, "t": 7}
    shown = suppress(counts, [("t", ["a", "b", "c"])], overlapping=True)
    assert shown == {"a": SMALL, "b": "5", "c": "5", "t": "5"}


def test_the_smallest_shown_member_is_hidden_next():
    counts = {"m0": 4, "m1": 12, "m2": 7, "t": 23}
    assert suppress(counts, [("t", ["m0", "m1", "m2"])]) == {
        "m0": SMALL, "m1": "10", "m2": HIDDEN, "t": "25",
    }  # fmt: skip


def test_a_shown_count_a_reader_can_work_out_exactly_is_hidden_too():
    """Four rows of 8 (each "10", so at least 8) fill the total of 32 ("30", at most 32): each
    would be exactly 8, and a difference with another view of exact counts can be small. So a
    row is hidden, and no cell is left pinned."""
    counts = {"a": 0, "b": 8, "c": 8, "d": 8, "e": 8, "t": 32}
    groups = [("t", ["a", "b", "c", "d", "e"])]
    shown = suppress(counts, groups)
    assert shown == {"a": SMALL, "b": HIDDEN, "c": "10", "d": "10", "e": "10", "t": "30"}
    ranges = bounds(shown, groups)
    assert all(low < high for low, high in ranges.values())


def test_every_group_is_searched_for_a_pinned_cell():
    """Only the second county pins a small municipality: its own total is hidden."""
    counts = {"m1": 10, "m2": 9, "m3": 4, "m4": 4, "c1": 19, "c2": 8, "t": 27}
    assert suppress(counts, PLACES) == {
        "m1": "10", "m2": "10", "m3": SMALL, "m4": SMALL, "c1": "20", "c2": HIDDEN, "t": "25",
    }  # fmt: skip


def places(values: list[int]) -> dict[str, int]:
    counts = {f"m{n}": value for n, value in enumerate(values, 1)}
    return counts | {"c1": values[0] + values[1], "c2": values[2] + values[3], "t": sum(values)}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=4, max_size=4), st.booleans())
def test_the_reader_is_left_nothing_more_to_work_out(values, overlapping):
    """What `bounds` gives is final: another narrowing of any group changes nothing, and the
    truth lies inside it."""
    counts = places(values)
    shown = suppress(counts, PLACES, overlapping)
    ranges = bounds(shown, PLACES, overlapping)
    final = copy.deepcopy(ranges)
    for total, members in PLACES:
        suppression._narrow(ranges, total, members, overlapping)
    assert ranges == final
    assert all(low <= counts[k] <= high for k, (low, high) in ranges.items())
