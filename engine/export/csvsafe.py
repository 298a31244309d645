"""CSV that spreadsheets open as data, never as formulas (OWASP "CSV injection").

A text cell that starts with =, +, -, @, a tab or a carriage return is prefixed with an
apostrophe, which spreadsheets show as text; numbers and dates are written as they are.
A writer told which columns can hold text checks those cells only (`SafeWriter(texts=...)`).
"""

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

FORMULA_FIRST = frozenset("=+-@\t\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value[:1] in FORMULA_FIRST:
        return "'" + value
    return value


def formula_free(texts: Iterable[str]) -> bool:
    """Whether none of these texts starts like a formula (a column's every possible value)."""
    return not any(text[:1] in FORMULA_FIRST for text in texts)


class SafeWriter:
    """`csv.writer` whose text cells are neutralised; `dialect` as `csv.writer` takes it
    (`delimiter=";"` for a spreadsheet in a locale whose decimal mark is a comma).

    `texts`: the positions of the columns whose cells can hold text that starts like a formula
    (say, none of a column of numbers or of codes); every cell is checked without it."""

    def __init__(self, out: TextIO, texts: Sequence[int] | None = None, **dialect: object):
        self._writer = csv.writer(out, **dialect)
        self._texts = texts

    def writerow(self, row: Iterable[object]) -> None:
        if self._texts is None:
            self._writer.writerow([
                "'" + value if isinstance(value, str) and value[:1] in FORMULA_FIRST else value
                for value in row
            ])  # fmt: skip
            return
        row = list(row)
        for index in self._texts:
            value = row[index]
            if isinstance(value, str) and value[:1] in FORMULA_FIRST:
                row[index] = "'" + value
        self._writer.writerow(row)
