"""CSV: one UTF-8 file per table (spreadsheet formulas neutralised), zipped by the exporter."""

from pathlib import Path

from engine.export.csvsafe import SafeWriter
from engine.export.layout import DATETIME, Layout


class CsvFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.layout = layout
        self.files = {t.name: f"{t.name}.csv" for t in layout.tables}
        self._handles = {
            name: (folder / file).open("w", encoding="utf-8", newline="")
            for name, file in self.files.items()
        }
        self._writers = {name: SafeWriter(handle) for name, handle in self._handles.items()}
        self._names = {t.name: t.names() for t in layout.tables}
        self._datetimes = {t.name: _datetime_positions(t) for t in layout.tables}
        for table in layout.tables:
            self._writers[table.name].writerow(table.names())

    def write(self, table: str, row: dict) -> None:
        values = [row[name] for name in self._names[table]]
        for index in self._datetimes[table]:
            values[index] = _text(values[index])
        self._writers[table].writerow(values)

    def close(self) -> dict[str, str]:
        for handle in self._handles.values():
            handle.close()
        return self.files


def _text(value) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime_positions(table) -> list[int]:
    return [index for index, column in enumerate(table.columns) if column.kind == DATETIME]
