"""A staff table as a file that opens directly in a Norwegian spreadsheet: CSV with `;`, a
byte-order mark and formulas neutralised, or XLSX with every text cell a string."""

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from flask import Response, stream_with_context

from engine.export.csvsafe import SafeWriter

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WIDEST = 60
"""Characters: a column is as wide as its longest cell, up to this."""
CHUNK_ROWS = 500
"""A CSV download is sent in pieces of this many rows, as they are made."""


@dataclass(frozen=True)
class Table:
    name: str
    """The file name without its extension (no personal data)."""
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    """Cells are text, whole numbers or None (an empty cell). May be made as they are read
    (a generator over database batches): a CSV streams them, an XLSX holds them."""


def response(table: Table, format: str) -> Response:
    """The table as a download in `format` (one of FORMATS)."""
    body = stream_with_context(csv_chunks(table)) if format == "csv" else as_xlsx(table)
    return Response(body, mimetype=MIMETYPES[format], headers={
        "Content-Disposition": f'attachment; filename="{table.name}.{format}"',
        "Cache-Control": "no-store",
    })  # fmt: skip


def csv_chunks(table: Table) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, `;` between cells, CRLF line ends (as Excel writes it), in
    pieces of `CHUNK_ROWS` rows."""
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";")
    writer.writerow(table.headers)
    encoding = "utf-8-sig"  # the mark, once, at the start
    for number, row in enumerate(table.rows, 1):
        writer.writerow(["" if cell is None else cell for cell in row])
        if number % CHUNK_ROWS == 0:
            yield _taken(out).encode(encoding)
            encoding = "utf-8"
    yield _taken(out).encode(encoding)


def _taken(out: io.StringIO) -> str:
    """What was written to `out` so far; `out` is emptied."""
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def as_xlsx(table: Table) -> bytes:
    """One sheet: a bold, frozen header row, columns as wide as their text, no formulas."""
    import xlsxwriter  # here, not at import: no process should pay for it before a download

    table = Table(table.name, table.headers, list(table.rows))  # read twice: cells and widths
    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(out, options) as book:
        sheet = book.add_worksheet()
        bold = book.add_format({"bold": True})
        for column, header in enumerate(table.headers):
            sheet.write_string(0, column, str(header), bold)
        for number, row in enumerate(table.rows, 1):
            for column, cell in enumerate(row):
                _write(sheet, number, column, cell)
        sheet.freeze_panes(1, 0)
        for column, width in enumerate(_widths(table)):
            sheet.set_column(column, column, width)
    return out.getvalue()


def _write(sheet, row: int, column: int, cell: object) -> None:
    if isinstance(cell, int) and not isinstance(cell, bool):
        sheet.write_number(row, column, cell)
    elif cell is not None:
        sheet.write_string(row, column, str(cell))


def _widths(table: Table) -> list[int]:
    widths = [len(str(header)) for header in table.headers]
    for row in table.rows:
        for column, cell in enumerate(row):
            widths[column] = max(widths[column], len("" if cell is None else str(cell)))
    return [min(width + 2, WIDEST) for width in widths]
