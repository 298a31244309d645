"""JSON Lines: one object per response, its entries nested under each group's name.

Serialised with orjson: several times faster than the standard library on wide rows, and it
writes aware datetimes as RFC 3339 itself.
"""

from pathlib import Path

import orjson

from engine.export.layout import RESPONSES, Layout

FILE = "responses.jsonl"


class JsonLinesFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.groups = [t.name for t in layout.tables if t.parent is not None]
        self._handle = (folder / FILE).open("wb")
        self._pending: dict | None = None

    def write(self, table: str, row: dict) -> None:
        if table == RESPONSES:
            self._flush()
            self._pending = {**row, **{group: [] for group in self.groups}}
            return
        entry = {k: v for k, v in row.items() if k != "response_id"}
        self._pending[table].append(entry)

    def _flush(self) -> None:
        if self._pending is not None:
            self._handle.write(orjson.dumps(self._pending, option=orjson.OPT_APPEND_NEWLINE))
            self._pending = None

    def close(self) -> dict[str, str]:
        self._flush()
        self._handle.close()
        return {RESPONSES: FILE}
