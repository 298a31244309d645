"""SPSS codes and measurement levels of an export's columns: what the .sav holds and what the
codebook lists (`spss_code` in codebook_values.csv), for every format alike.

A coded column (`Column.coded`: one value per cell from a list in every version it is in: a
choice, country, language, code list, a scale's row) is numeric in SPSS. Its codes:

- a value written in digits is its own number ("6" → 6, ISCED-F "09" → 9);
- every other value is numbered on from the largest such number (from 1 when there is none),
  in the order the codebook lists the values: the oldest exported version's options as it
  lists them, then each later version's new options appended;
- if two values share a number ("3" and "03"), every value is numbered as in the second rule.

So the same versions always get the same codes, and a version's codes stay the same when later
versions are exported with it, as long as no later version adds a value written in digits to a
column that has values of another kind or a value of the same number. The codebook lists each
export's codes.

Measurement levels: integers and datetimes are scale; a coded column whose values are ordered
(`Column.ordered`: the rows of a scale question, or a choice from one of the questionnaire's
`ordered_lists`) is ordinal; everything else is nominal.
"""

from engine.export.layout import DATETIME, INTEGER, Column

MAX_DIGITS = 15  # every whole number of up to 15 digits is exact in SPSS's doubles


def codes(column: Column) -> dict[str, int]:
    """Each value's SPSS code; empty for a column that is not coded."""
    if not column.coded:
        return {}
    values = [value for value, _ in column.values]
    numbers = {v: int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= MAX_DIGITS}
    if len(set(numbers.values())) < len(numbers):
        numbers = {}
    start = max(numbers.values(), default=0)
    others = [value for value in values if value not in numbers]
    return numbers | {value: start + n for n, value in enumerate(others, 1)}


def measure(column: Column) -> str:
    """The column's SPSS measurement level."""
    if column.kind in (INTEGER, DATETIME):
        return "scale"
    return "ordinal" if column.ordered and column.coded else "nominal"
