"""CSV that spreadsheets open as data, never as formulas (OWASP "CSV injection").

A text cell that starts with =, +, -, @, a tab or a carriage return is prefixed with an
apostrophe, which spreadsheets show as text; numbers and dates are written as they are.
"""

import csv
from collections.abc import Iterable
from typing import TextIO

FORMULA_FIRST = frozenset("=+-@\t\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value[:1] in FORMULA_FIRST:
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose every text cell is neutralised; `dialect` as `csv.writer` takes it
    (`delimiter=";"` for a spreadsheet in a locale whose decimal mark is a comma)."""

    def __init__(self, out: TextIO, **dialect: object):
        self._writer = csv.writer(out, **dialect)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([
            "'" + value if isinstance(value, str) and value[:1] in FORMULA_FIRST else value
            for value in row
        ])  # fmt: skip
