"""Parquet: one file per table, written with pyarrow in record batches of 1,000 rows.

A batch's rows are kept as tuples in column order and turned into Arrow column by column
(`zip(*rows)`, then one `pa.array` per column), not row by row from dicts.

The Arrow schema comes from the layout, not from the data, so a column nobody answered keeps
its type: integer → int64, binary → int8, datetime → timestamp[us, UTC], string → string; every
field is nullable and carries its labels (`label_<language>`) as field metadata.
"""

from operator import itemgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from engine.export.layout import BINARY, DATETIME, INTEGER, Column, Layout

BATCH = 1000
ARROW_TYPES = {INTEGER: pa.int64(), BINARY: pa.int8(), DATETIME: pa.timestamp("us", tz="UTC")}


class ParquetFormat:
    def __init__(self, folder: Path, layout: Layout):
        self.files = {t.name: f"{t.name}.parquet" for t in layout.tables}
        self._schemas = {t.name: schema(t.columns) for t in layout.tables}
        self._writers = {
            name: pq.ParquetWriter(folder / file, self._schemas[name])
            for name, file in self.files.items()
        }
        self._values = {t.name: _values_of(t.names()) for t in layout.tables}
        self._pending: dict[str, list[tuple]] = {name: [] for name in self.files}

    def write(self, table: str, row: dict) -> None:
        pending = self._pending[table]
        pending.append(self._values[table](row))
        if len(pending) >= BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        schema = self._schemas[table]
        columns = zip(*self._pending[table], strict=True)
        arrays = [pa.array(values, f.type) for values, f in zip(columns, schema, strict=True)]
        self._writers[table].write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
        self._pending[table] = []

    def close(self) -> dict[str, str]:
        for table, writer in self._writers.items():
            if self._pending[table]:
                self._flush(table)
            writer.close()
        return self.files


def _values_of(names: list[str]):
    """A row's values in column order, as a tuple even for a single column."""
    if len(names) == 1:
        return lambda row: (row[names[0]],)
    return itemgetter(*names)


def schema(columns: list[Column]) -> pa.Schema:
    return pa.schema([
        pa.field(
            c.name, ARROW_TYPES.get(c.kind, pa.string()), nullable=True,
            metadata={f"label_{lang}": text for lang, text in c.label.items()},
        )
        for c in columns
    ])  # fmt: skip
