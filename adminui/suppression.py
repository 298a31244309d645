"""Small-cell suppression: one rule for the statistics page, its charts and the CSV files.


1. Every count under 5 persons, 0 included, is shown as "<5" (an empty category then helps to
   hide a small one).
2. Cells that add up to a shown total (a table's rows and its total; a county's municipalities
   and the county; the counties, or all municipalities, and the grand total) must not let a
   hidden cell be computed back. The hidden cells of such a group add up to the total minus the
   shown cells; that sum must not pin them down: there must be at least two, and the sum must
   be neither the least they can hold (0 for each "<5", 5 for each ":") nor the most (4 each,
   when none is ":"). Two hidden 4s and a total of 8 would give both away. Otherwise the
   group's smallest shown cell is hidden too, shown as ":", or its total when no cell is left;
   this is repeated until every group holds, so a county hidden for its municipalities' sake is
   then protected among the counties as well. Hidden cells that are all 0 need no more: working
   them out only tells that nobody is there.

Tables in which one person can count in several rows (fields, licence categories, occupation
groups) follow the same rule, as their rows can still add up to the total. The rule protects
each table against its own totals; it does not compare pages with different filters, and a
shown cell equal to its total (everybody in one category) is shown as it is.
"""

import math
from collections.abc import Hashable, Mapping

THRESHOLD = 5
SMALL = "<5"
HIDDEN = ":"


def suppress(counts: Mapping[Hashable, int], groups: list[tuple[Hashable, list]]) -> dict:
    """The text shown for every cell: its number, SMALL or HIDDEN (see the module docstring).

    `groups` are (total key, member keys): cells that add up to the total's cell.
    """
    hidden = {key: SMALL for key, count in counts.items() if count < THRESHOLD}
    while (key := _next_to_hide(counts, groups, hidden)) is not None:
        hidden[key] = HIDDEN
    return {key: hidden.get(key, str(count)) for key, count in counts.items()}


def _next_to_hide(counts, groups, hidden) -> Hashable | None:
    for total, members in groups:
        inside = [counts[m] for m in members if m in hidden]
        if total in hidden or _leaves_doubt(inside):
            continue
        shown = [m for m in members if m not in hidden]
        return min(shown, key=lambda m: counts[m]) if shown else total
    return None


def _leaves_doubt(inside: list[int]) -> bool:
    """Whether hidden cells whose sum is known still cannot be told (see the module docstring)."""
    if not any(inside):
        return True
    larger = sum(1 for count in inside if count >= THRESHOLD)
    least = THRESHOLD * larger
    most = math.inf if larger else (THRESHOLD - 1) * len(inside)
    return len(inside) > 1 and least < sum(inside) < most
