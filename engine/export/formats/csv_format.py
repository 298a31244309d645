"""CSV: one UTF-8 file per table, zipped by the exporter.

Spreadsheet formulas are neutralised per column: only the text columns whose cells a person
can have typed (`may_start_like_formula`) are checked, not numbers, times or coded answers.
"""

from operator import itemgetter
from pathlib import Path

from engine.export.csvsafe import SafeWriter, formula_free
from engine.export.layout import DATETIME, STRING, Column, Layout, Table


class CsvFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.layout = layout
        self.files = {t.name: f"{t.name}.csv" for t in layout.tables}
        self._handles = {
            name: (folder / file).open("w", encoding="utf-8", newline="")
            for name, file in self.files.items()
        }
        self._writers = {
            t.name: SafeWriter(self._handles[t.name], texts=_text_positions(t))
            for t in layout.tables
        }
        self._values = {t.name: _values_of(t.names()) for t in layout.tables}
        self._datetimes = {t.name: _datetime_positions(t) for t in layout.tables}
        for table in layout.tables:
            SafeWriter(self._handles[table.name]).writerow(table.names())

    def write(self, table: str, row: dict) -> None:
        values = self._values[table](row)
        for index in self._datetimes[table]:
            values[index] = _text(values[index])
        self._writers[table].writerow(values)

    def close(self) -> dict[str, str]:
        for handle in self._handles.values():
            handle.close()
        return self.files


def may_start_like_formula(column: Column) -> bool:
    """Whether a cell of the column can hold text that starts like a formula: any text but that
    of a column coded in every version by values none of which does (numbers and times never
    do; a multiple choice's summary joins its values)."""
    if column.kind != STRING:
        return False
    coded = column.values and not column.partly_coded
    return not (coded and formula_free(value for value, _ in column.values))


def _values_of(names: list[str]):
    """A row's values in column order, as a list."""
    get = itemgetter(*names)
    return (lambda row: [get(row)]) if len(names) == 1 else (lambda row: list(get(row)))


def _text(value) -> str | None:
    return value.isoformat() if value is not None else None


def _text_positions(table: Table) -> list[int]:
    return [index for index, column in enumerate(table.columns) if may_start_like_formula(column)]


def _datetime_positions(table: Table) -> list[int]:
    return [index for index, column in enumerate(table.columns) if column.kind == DATETIME]
