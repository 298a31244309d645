"""Excel: one workbook, a sheet per table with a header row, then `codebook` and `values` sheets.

Written by hand, not with a library: an export must keep 0.3× the plain reading speed at
100,000 responses in constant memory (bench/README.md), and xlsxwriter's per-cell path
reached about 0.13×. Each sheet's rows go as XML into an anonymous temporary file as they
arrive, so memory stays flat; `close` zips them with the fixed parts (`xlsx_parts`).

Text is always an inline string, never a formula ("=1+1" stays those four characters).
Text over Excel's 32,767 characters (UTF-16 units) is cut there, as xlsxwriter did; control
characters and others XML cannot hold become Excel's `_xHHHH_` escapes (a literal `_xHHHH_`
becomes `_x005F_xHHHH_`), so Excel reads back what was written. Datetimes are Excel datetimes
in UTC, shown as `yyyy-mm-dd hh:mm:ss` (Excel keeps no time zone, and milliseconds at most).
A sheet name is the table name, cut to Excel's 31 characters and made unique. A table with
more rows (1,048,576 with the header) or columns (16,384) than a sheet holds stops the export
with an error.
"""

import math
import re
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from itertools import compress, repeat
from operator import is_not, itemgetter
from pathlib import Path

from engine.export.codebook_rows import (
    codebook_header,
    codebook_rows,
    value_rows,
    values_header,
)
from engine.export.formats import xlsx_parts
from engine.export.formats.naming import unique_name
from engine.export.formats.xlsx_parts import DATETIME_STYLE
from engine.export.layout import BINARY, DATETIME, INTEGER, Layout

FILE = "export.xlsx"
CODEBOOK, VALUES = "codebook", "values"
MAX_SHEET_NAME = 31
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
MAX_TEXT = 32_767  # UTF-16 units in one cell
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")
XML_SPACE = " \t\n\r"  # kept at a text's ends only with xml:space="preserve"
LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # each one, even overlapping
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)  # day 0 for every date after 1900-02-28
DAY = timedelta(days=1)
TEXT, NUMBER, MOMENT = 0, 1, 2
KINDS = {INTEGER: NUMBER, BINARY: NUMBER, DATETIME: MOMENT}
COMPRESSION = 1  # zlib level: ~3× faster than the default 6 on sheet XML, a little larger


class XlsxFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.layout = layout
        self._path = folder / FILE
        names = sheet_names(layout)
        self._sheets = {
            t.name: Sheet(
                folder, names[t.name], t.names(), [KINDS.get(c.kind, TEXT) for c in t.columns]
            )
            for t in layout.tables
        }
        self._values = {t.name: _values_of(t.names()) for t in layout.tables}

    @staticmethod
    def resources(layout: Layout) -> dict[str, dict]:
        """Each table's data package resource names its sheet."""
        return {table: {"dialect": {"sheetName": sheet}}
                for table, sheet in sheet_names(layout).items()}  # fmt: skip

    def write(self, table: str, row: dict) -> None:
        sheet = self._sheets[table]
        if sheet.rows >= MAX_ROWS:
            raise ValueError(f"table {table} has more rows than an Excel sheet can hold")
        sheet.add(self._values[table](row))

    def close(self) -> dict[str, str]:
        sheets = list(self._sheets.values()) + self._codebook_sheets()
        with zipfile.ZipFile(
            self._path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION
        ) as book:
            for path, text in xlsx_parts.fixed_parts([s.name for s in sheets]).items():
                book.writestr(path, text)
            for number, sheet in enumerate(sheets, 1):
                sheet.copy_into(book, xlsx_parts.worksheet_path(number), selected=number == 1)
        return dict.fromkeys(self._sheets, FILE)

    def _codebook_sheets(self) -> list["Sheet"]:
        found = []
        for name, header, rows in (
            (CODEBOOK, codebook_header(self.layout), codebook_rows(self.layout)),
            (VALUES, values_header(self.layout), value_rows(self.layout)),
        ):
            sheet = Sheet(self._path.parent, name, header, [TEXT] * len(header), frozen=False)
            for texts in rows:
                sheet.add(texts)
            found.append(sheet)
        return found


class Sheet:
    """One worksheet's rows as XML in an anonymous temporary file until the workbook is zipped."""

    def __init__(self, folder: Path, name: str, header, kinds: list[int], frozen: bool = True):
        if len(kinds) > MAX_COLUMNS:
            raise ValueError(f"sheet {name} has more columns than an Excel sheet can hold")
        self.name = name
        self.rows = 0
        self._frozen = frozen
        starts = [f'<c r="{column_letters(i)}' for i in range(len(kinds))]
        self._columns = list(zip(starts, kinds, strict=True))
        # Closed by copy_into (or with the process): it lives as long as the export.
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=folder)  # noqa: SIM115
        self._add(header, [(start, TEXT) for start in starts])

    def add(self, values) -> None:
        """One row after the last: a cell per value in column order; None and "" stay empty."""
        self._add(values, self._columns)

    def _add(self, values, columns: list[tuple[str, int]]) -> None:
        self.rows += 1
        number = str(self.rows)
        present = compress(zip(columns, values, strict=True), map(is_not, values, repeat(None)))
        if _needs_care(" ".join([v for v in values if type(v) is str])):
            cells = [_cell(start, number, kind, value) for (start, kind), value in present]
        else:  # the usual plain text and integers inline, for speed; the rest as _cell makes them
            cells = [
                (f'{start}{number}" t="inlineStr"><is><t>{value}</t></is></c>' if value else "")
                if kind == TEXT and type(value) is str
                else f'{start}{number}"><v>{value}</v></c>'
                if kind == NUMBER and type(value) is int
                else _cell(start, number, kind, value)
                for (start, kind), value in present
            ]
        self._file.write(f'<row r="{number}">{"".join(cells)}</row>')

    def copy_into(self, book: zipfile.ZipFile, path: str, selected: bool) -> None:
        """Write this sheet as `path` into the workbook, then drop its temporary file."""
        self._file.flush()
        raw = self._file.buffer
        size = raw.tell()
        last_cell = f"{column_letters(max(len(self._columns), 1) - 1)}{max(self.rows, 1)}"
        zip64 = size > zipfile.ZIP64_LIMIT // 2  # with room to spare for the start and end
        with book.open(path, "w", force_zip64=zip64) as member:
            start = xlsx_parts.sheet_start(last_cell, self._frozen, selected)
            member.write(start.encode())
            raw.seek(0)
            shutil.copyfileobj(raw, member)
            member.write(xlsx_parts.SHEET_END.encode())
        self._file.close()


def _cell(start: str, number: str, kind: int, value) -> str:
    """One cell's XML (empty for ""): a number, a datetime or text, escaped and cut with care."""
    if kind == NUMBER and _is_finite(value):
        return f'{start}{number}"><v>{value if type(value) is int else float(value)!r}</v></c>'
    if kind == MOMENT:
        serial = (value.astimezone(UTC) - EXCEL_EPOCH) / DAY
        return f'{start}{number}" s="{DATETIME_STYLE}"><v>{serial!r}</v></c>'
    text = value if type(value) is str else str(value)
    return f'{start}{number}" t="inlineStr"><is><t{_xml_text(text)}</t></is></c>' if text else ""


def _needs_care(joined: str) -> bool:
    """Whether any of a row's texts, joined by spaces, must be cut, escaped or spaced with care.

    One check per row rather than per cell, for speed; a false alarm (say, a line break or a
    double space in a text) only costs time."""
    return not (
        joined.isprintable()  # no control characters, lone surrogates, tabs or line breaks
        and len(joined) <= MAX_TEXT // 2
        and "&" not in joined
        and "<" not in joined
        and ">" not in joined
        and "_x" not in joined
        and "  " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    )


def _values_of(names: list[str]):
    """A row's values in column order, as a sequence even for a single column."""
    if len(names) == 1:
        return lambda row: (row[names[0]],)
    return itemgetter(*names)


def _is_finite(value) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value)


def _xml_text(text: str) -> str:
    """A cell's text as XML character data: cut to Excel's limit, escaped where needed."""
    if len(text) > MAX_TEXT // 2:
        text = cut_to_cell(text)
    ends = text[:1] + text[-1:]
    space = ' xml:space="preserve">' if any(c in XML_SPACE for c in ends) else ">"
    text = LITERAL_ESCAPE.sub("_x005F_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return space + NOT_IN_XML.sub(lambda found: f"_x{ord(found[0]):04X}_", text)


def cut_to_cell(text: str) -> str:
    """`text` cut to MAX_TEXT UTF-16 units, never inside a character beyond U+FFFF."""
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2 * MAX_TEXT:
        return text
    cut = units[: 2 * MAX_TEXT].decode("utf-16-le", "surrogatepass")
    return cut[:-1] if "\ud800" <= cut[-1] <= "\udbff" else cut


def column_letters(index: int) -> str:
    """Excel's name of the column at 0-based `index`: A, B, …, Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sheet_names(layout: Layout) -> dict[str, str]:
    """A valid, unique sheet name for each table; `codebook` and `values` are kept free."""
    taken = {CODEBOOK, VALUES, "history"}
    return {
        table.name: unique_name(
            NOT_IN_SHEET_NAMES.sub("_", table.name) or "table", taken, MAX_SHEET_NAME
        )
        for table in layout.tables
    }
