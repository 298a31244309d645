"""Export formats. Each writes the tables of a `Layout` into a folder as rows arrive.

A format is a class with `__init__(folder, layout)`, `write(table, row)` and `close()`, which
returns the files it wrote (relative to the folder) by table name. Rows of one table arrive in
order; rows of different tables interleave. A format may also have a static
`resources(layout)`: by table name, what it adds to that table's data package resource.

`FORMATS` names each format's class; its module (pandas, pyarrow, pyreadstat…) is imported when
the format is first used, so a command or page that exports nothing does not load them.
"""

from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import import_module

_CLASSES = {
    "csv": "csv_format:CsvFormat",
    "jsonl": "jsonl_format:JsonLinesFormat",
    "xlsx": "xlsx_format:XlsxFormat",
    "parquet": "parquet_format:ParquetFormat",
    "sav": "sav_format:SavFormat",
}


class _Formats(Mapping):
    """Format classes by name, each imported at its first use."""

    def __getitem__(self, name: str) -> type:
        return _load(_CLASSES[name])

    def __iter__(self) -> Iterator[str]:
        return iter(_CLASSES)

    def __len__(self) -> int:
        return len(_CLASSES)


@lru_cache(maxsize=len(_CLASSES))
def _load(where: str) -> type:
    module, name = where.split(":")
    return getattr(import_module(f"{__name__}.{module}"), name)


FORMATS = _Formats()
