"""SPSS: one .sav file per table, written with pyreadstat.

pyreadstat writes a whole table at once from a pandas DataFrame, so this format keeps every
row until `close()`; it is the one format whose memory grows with the export. To keep that
small, rows are collected a batch at a time and each batch is stored column by column in
compact arrays: numbers, codes and times as float64 (8 bytes a cell, the answers' own objects
freed), only text as Python strings.

Variable names are the column names where SPSS accepts them (ASCII letters, digits and _,
starting with a letter, at most 64 bytes, no reserved word, unique ignoring case); any other
name is mapped to one that fits, and the original name starts its variable label. The data
package lists the mapped names per table (`spssNames`). Variable labels are in the first label
language that has one (`LABEL_LANGUAGES`, main language first), cut to SPSS's 256 bytes.

Integers, 0/1 columns and coded columns are numeric. A coded column's values are codes with
value labels (`sav_codes.py`: which code each value gets, and the measurement levels); the
codebook lists them (`spss_code`). The 0/1 columns of a multiple choice's options are labelled
"Not chosen"/"Chosen", the engine's own texts in the label language. A multiple choice's
summary column (every chosen value joined by ";") stays text without value labels: its 0/1
columns hold the same answer; so does a column that is coded in some versions only (a question
whose type changed). Unanswered is missing (system-missing), never 0.
Datetimes are SPSS datetimes in UTC (seconds since 1582-10-14, format DATETIME20). SPSS has no
empty text: an unanswered text is "".
"""

import math
import re
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyreadstat

from engine.export.formats.naming import unique_name
from engine.export.formats.sav_codes import codes, measure
from engine.export.layout import BINARY, DATETIME, INTEGER, Column, Layout, Table
from engine.translation.staff_texts import staff_labels

MAX_NAME = 64
MAX_LABEL = 256
MAX_VALUE_LABEL = 120
NOT_IN_NAMES = re.compile(r"[^A-Za-z0-9_]")
RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
NUMBER_FORMAT = "F12.0"
DATETIME_FORMAT = "DATETIME20"
SPSS_EPOCH = datetime(1582, 10, 14, tzinfo=UTC)
BATCH = 1000


class SavFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.folder = folder
        self.tables = layout.tables
        self.languages = languages = layout.languages
        self.chosen = {  # the labels of a multiple choice's 0/1 option columns
            0: _first(staff_labels("Not chosen", languages), languages),
            1: _first(staff_labels("Chosen", languages), languages),
        }
        self.files = {t.name: f"{t.name}.sav" for t in layout.tables}
        self._columns = {t.name: [Collected(c) for c in t.columns] for t in layout.tables}
        self._values = {t.name: itemgetter(*t.names()) for t in layout.tables if t.columns}
        self._pending: dict[str, list] = {t.name: [] for t in layout.tables}

    @staticmethod
    def resources(layout: Layout) -> dict[str, dict]:
        """The SPSS names of columns whose own names SPSS does not accept, by table."""
        renamed = {t.name: {c: s for c, s in variable_names(t).items() if c != s}
                   for t in layout.tables}  # fmt: skip
        return {table: {"spssNames": names} for table, names in renamed.items() if names}

    def write(self, table: str, row: dict) -> None:
        pending = self._pending[table]
        pending.append(self._values[table](row))
        if len(pending) >= BATCH:
            self._store(table)

    def _store(self, table: str) -> None:
        """The pending rows of `table` into its columns' arrays."""
        columns, pending = self._columns[table], self._pending[table]
        if len(columns) == 1:
            pending = [(value,) for value in pending]
        for column, values in zip(columns, zip(*pending, strict=True), strict=True):
            column.add(values)
        self._pending[table] = []

    def close(self) -> dict[str, str]:
        for table in self.tables:
            if self._pending[table.name]:
                self._store(table.name)
            self._write(table)
            del self._columns[table.name]
        return self.files

    def _write(self, table: Table) -> None:
        names = variable_names(table)
        frame = pd.DataFrame(
            {names[c.column.name]: c.series() for c in self._columns[table.name]},
            index=pd.RangeIndex(self._columns[table.name][0].count if table.columns else 0),
        )
        languages = self.languages
        pyreadstat.write_sav(
            frame, self.folder / self.files[table.name],
            column_labels={names[c.name]: _variable_label(c, names[c.name], languages)
                           for c in table.columns},
            variable_value_labels={names[c.name]: self._value_labels(c)
                                   for c in table.columns if c.kind == BINARY or c.coded},
            variable_format={names[c.name]: _format(c) for c in table.columns if _format(c)},
            variable_measure={names[c.name]: measure(c) for c in table.columns},
        )  # fmt: skip

    def _value_labels(self, column: Column) -> dict[int, str]:
        if column.kind == BINARY:
            return self.chosen
        labels = dict(column.values)
        return {code: _cut(_first(labels[value], self.languages) or value, MAX_VALUE_LABEL)
                for value, code in codes(column).items()}  # fmt: skip


class Collected:
    """One column's values so far: float64 arrays for numbers, codes and times, Arrow strings
    for text (its bytes, not a Python object a cell: pyreadstat reads them as pandas text)."""

    def __init__(self, column: Column):
        self.column = column
        self.count = 0
        self.parts: list = []
        self.convert = _converter(column)

    def add(self, values: tuple) -> None:
        self.parts.append(self.convert(values))
        self.count += len(values)

    def series(self) -> pd.Series:
        """The values as one series; the batches are let go."""
        parts, self.parts = self.parts, []
        if self.convert is _text:
            return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, pa.string())))
        return pd.Series(np.concatenate(parts) if parts else [], dtype="float64")


def variable_names(table: Table) -> dict[str, str]:
    """An SPSS variable name for each column: its own name where SPSS accepts it."""
    taken = set(RESERVED)
    return {c.name: unique_name(_valid(c.name), taken, MAX_NAME) for c in table.columns}


def _valid(name: str) -> str:
    valid = NOT_IN_NAMES.sub("_", name)
    return valid if valid[:1].isalpha() else f"v{valid}"


def _is_numeric(column: Column) -> bool:
    return column.kind in (INTEGER, BINARY) or column.coded


def _format(column: Column) -> str | None:
    if column.kind == DATETIME:
        return DATETIME_FORMAT
    return NUMBER_FORMAT if _is_numeric(column) else None


def _converter(column: Column):
    """How a batch of the column's values is stored."""
    if column.kind == DATETIME:
        return _moments
    if column.coded:
        return _coder(column)
    return _numbers if _is_numeric(column) else _text


def _text(values: tuple) -> pa.Array:
    """Text as Arrow strings; a value of another type (say, a number in a question whose type
    changed) as its text."""
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([v if v is None or type(v) is str else str(v) for v in values], pa.string())


def _numbers(values: tuple) -> np.ndarray:
    return np.fromiter((math.nan if v is None else v for v in values), "float64", len(values))


def _moments(values: tuple) -> np.ndarray:
    """SPSS datetimes: seconds since the start of the Gregorian calendar, in UTC."""
    return np.fromiter((math.nan if v is None else _seconds(v) for v in values), "float64",
                       len(values))  # fmt: skip


def _seconds(moment: datetime) -> float:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (aware - SPSS_EPOCH).total_seconds()


def _coder(column: Column):
    """Each value's code; NaN (missing) where unanswered."""
    known = {None: math.nan} | {value: float(code) for value, code in codes(column).items()}

    def coded(values: tuple) -> np.ndarray:
        try:
            return np.fromiter(map(known.__getitem__, values), "float64", len(values))
        except KeyError as unknown:
            raise ValueError(f"{column.name}: {unknown} is none of the column's values") from None

    return coded


def _variable_label(column: Column, name: str, languages: tuple[str, ...]) -> str:
    label = _first(column.label, languages)
    return _cut(label if name == column.name else f"{column.name}: {label}", MAX_LABEL)


def _first(label: dict[str, str], languages: tuple[str, ...]) -> str:
    """The label in the first of `languages` that has one."""
    return next((label[language] for language in languages if label.get(language)), "")


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` bytes of UTF-8, never half a character."""
    return text.encode()[:limit].decode(errors="ignore")
