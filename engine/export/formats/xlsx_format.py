"""Excel: one workbook, a sheet per table with a header row, then `codebook` and `values` sheets.

Written with xlsxwriter in constant-memory mode: each row goes to disk as soon as the next one
starts, so memory stays flat however many rows arrive. Text is always written as text, never
as a formula ("=1+1" stays those four characters). Datetimes are Excel datetimes in UTC,
shown as `yyyy-mm-dd hh:mm:ss` (Excel keeps no time zone, and milliseconds at most).
A sheet name is the table name, cut to Excel's 31 characters and made unique. A table with
more rows than a sheet holds (1,048,576 with the header) stops the export with an error.
"""

import re
from datetime import UTC
from itertools import chain
from pathlib import Path

import xlsxwriter

from engine.export.codebook_rows import CODEBOOK_HEADER, VALUES_HEADER, codebook_rows, value_rows
from engine.export.formats.naming import unique_name
from engine.export.layout import BINARY, DATETIME, INTEGER, Layout

FILE = "export.xlsx"
CODEBOOK, VALUES = "codebook", "values"
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")


class XlsxFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.layout = layout
        self._book = xlsxwriter.Workbook(folder / FILE, {"constant_memory": True})
        self._datetime = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._sheets = {
            table: self._book.add_worksheet(sheet) for table, sheet in sheet_names(layout).items()
        }
        self._columns = {t.name: t.columns for t in layout.tables}
        self._next_row = dict.fromkeys(self._sheets, 1)
        for table in layout.tables:
            _write_strings(self._sheets[table.name], 0, table.names())
            self._sheets[table.name].freeze_panes(1, 0)
        self._write_codebook()

    @staticmethod
    def resources(layout: Layout) -> dict[str, dict]:
        """Each table's data package resource names its sheet."""
        return {table: {"dialect": {"sheetName": sheet}}
                for table, sheet in sheet_names(layout).items()}  # fmt: skip

    def write(self, table: str, row: dict) -> None:
        number = self._next_row[table]
        if number >= MAX_ROWS:
            raise ValueError(f"table {table} has more rows than an Excel sheet can hold")
        sheet = self._sheets[table]
        for index, column in enumerate(self._columns[table]):
            self._cell(sheet, number, index, column.kind, row[column.name])
        self._next_row[table] = number + 1

    def _cell(self, sheet, number: int, index: int, kind: str, value) -> None:
        if value is None:
            return
        if kind in (INTEGER, BINARY):
            sheet.write_number(number, index, value)
        elif kind == DATETIME:
            utc = value.astimezone(UTC).replace(tzinfo=None)
            sheet.write_datetime(number, index, utc, self._datetime)
        else:
            sheet.write_string(number, index, str(value))

    def _write_codebook(self) -> None:
        for name, header, rows in (
            (CODEBOOK, CODEBOOK_HEADER, codebook_rows(self.layout)),
            (VALUES, VALUES_HEADER, value_rows(self.layout)),
        ):
            sheet = self._book.add_worksheet(name)
            for number, texts in enumerate(chain([header], rows)):
                _write_strings(sheet, number, texts)

    def close(self) -> dict[str, str]:
        self._book.close()
        return dict.fromkeys(self._sheets, FILE)


def _write_strings(sheet, number: int, texts) -> None:
    for index, text in enumerate(texts):
        sheet.write_string(number, index, text)


def sheet_names(layout: Layout) -> dict[str, str]:
    """A valid, unique sheet name for each table; `codebook` and `values` are kept free."""
    taken = {CODEBOOK, VALUES, "history"}
    return {
        table.name: unique_name(
            NOT_IN_SHEET_NAMES.sub("_", table.name) or "table", taken, MAX_SHEET_NAME
        )
        for table in layout.tables
    }
