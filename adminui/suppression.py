"""Small-cell protection: one rule for the statistics page, its charts and the CSV files.

1. **Primary suppression.** Every count under 5 persons, 0 included, is shown as "<5" (an empty
   category then helps to hide a small one).
2. **Rounding to base 5.** Every other number, totals included, is its true count rounded to the
   nearest multiple of 5 ("5" is 5–7, "10" is 8–12). Every published number is then a multiple
   of 5, so the difference of any two — a filter and no filter, one version and all, a row and
   its total — is a multiple of 5 too and can never be a small count; and the rounding is
   deterministic, so asking again gives the same number and nothing to average.
3. **Secondary suppression.** Cells that add up to a shown total (a table's rows and its total;
   a county's municipalities and the county; the counties, or all municipalities, and the grand
   total) are read as a reader would: each shown number as the range it was rounded from, each
   "<5" as 0–4, each ":" as 5 or more, narrowed by every group's sum until nothing changes
   (`bounds`). If that pins a cell that is not 0 to one value — a hidden one, or a shown one
   whose exact count a difference with another view would then reveal — the smallest shown
   member of a group holding it is hidden too (":"), or the group's total when no member is
   left; this is repeated until no such cell is pinned. Cells pinned to 0 need no more: working
   them out only tells that nobody is there. In tables where one person can count in several
   rows (fields, licence categories, occupation groups) the rows do not add up to the total:
   there each row is at most the total and the total at most the rows' sum.

The statistics page also withholds a filtered view when the cell it counts in full is hidden in
the view without that filter (`adminui.statistics.withheld`). See docs/privacy.md, "Statistics".
"""

import math
from collections.abc import Hashable, Mapping

THRESHOLD = 5
BASE = 5
SMALL = "<5"
HIDDEN = ":"
_ROUNDS = 100  # narrowing stops earlier: each round that changes a bound moves it inward

Group = tuple[Hashable, list]
Bounds = dict[Hashable, list[float]]


def rounded(count: int) -> int:
    """To the nearest multiple of BASE (halves up; counts are whole, so there are none)."""
    return BASE * ((count + BASE // 2) // BASE)


def suppress(
    counts: Mapping[Hashable, int], groups: list[Group], overlapping: bool = False
) -> dict:
    """The text shown for every cell: its rounded number, SMALL or HIDDEN (module docstring).

    `groups` are (total key, member keys): cells that add up to the total's cell, or, when
    `overlapping`, cells of which a person can be in several.
    """
    hidden = {key: SMALL for key, count in counts.items() if count < THRESHOLD}
    while (key := _next_to_hide(counts, groups, hidden, overlapping)) is not None:
        hidden[key] = HIDDEN
    return {key: hidden.get(key, str(rounded(count))) for key, count in counts.items()}


def reading(shown: str) -> list[float]:
    """The range of true counts a reader can tell from one shown text."""
    if shown == SMALL:
        return [0, THRESHOLD - 1]
    if shown == HIDDEN:
        return [THRESHOLD, math.inf]
    number = int(shown)
    return [max(THRESHOLD, number - BASE // 2), number + BASE // 2]


def bounds(shown: Mapping[Hashable, str], groups: list[Group], overlapping: bool = False):
    """What a reader can work out of every cell from all that is shown: ranges narrowed by the
    groups' sums until nothing changes."""
    ranges = {key: reading(text) for key, text in shown.items()}
    for _round in range(_ROUNDS):
        narrowed = [_narrow(ranges, total, members, overlapping) for total, members in groups]
        if not any(narrowed):
            break
    return ranges


def _narrow(ranges: Bounds, total: Hashable, members: list, overlapping: bool) -> bool:
    """Narrow the ranges of one group; whether anything changed."""
    if not members:
        return False
    lows = [ranges[m][0] for m in members]
    highs = [ranges[m][1] for m in members]
    low_sum, high_sum = sum(lows), _finite_sum(highs)
    infinite = sum(1 for high in highs if high == math.inf)
    top = ranges[total]
    changed = False
    for member, low, high in zip(members, lows, highs, strict=True):
        finite = high != math.inf
        others_high = math.inf if infinite - (not finite) else high_sum - (high if finite else 0)
        new_low = max(low, top[0] - others_high)
        new_high = min(high, top[1]) if overlapping else min(high, top[1] - (low_sum - low))
        changed |= _set(ranges[member], new_low, new_high)
    least = max(lows) if overlapping else low_sum
    most = math.inf if infinite else high_sum
    return _set(top, max(top[0], least), min(top[1], most)) or changed


def _finite_sum(values: list[float]) -> float:
    return sum(value for value in values if value != math.inf)


def _set(bound: list[float], low: float, high: float) -> bool:
    if (low, high) == (bound[0], bound[1]):
        return False
    bound[0], bound[1] = low, high
    return True


def _next_to_hide(counts, groups, hidden, overlapping) -> Hashable | None:
    shown = {key: hidden.get(key, str(rounded(count))) for key, count in counts.items()}
    ranges = bounds(shown, groups, overlapping)
    pinned = {k for k, count in counts.items() if count > 0 and ranges[k][0] >= ranges[k][1]}
    for total, members in groups:
        if not pinned & {total, *members}:
            continue
        visible = [m for m in members if m not in hidden]
        if visible:
            return min(visible, key=lambda m: counts[m])
        if total not in hidden:
            return total
    return None
