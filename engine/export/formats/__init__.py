"""Export formats. Each writes the tables of a `Layout` into a folder as rows arrive.

A format is a class with `__init__(folder, layout)`, `write(table, row)` and `close()`, which
returns the files it wrote (relative to the folder) by table name. Rows of one table arrive in
order; rows of different tables interleave. A format may also have a static
`resources(layout)`: by table name, what it adds to that table's data package resource.
"""

from engine.export.formats.csv_format import CsvFormat
from engine.export.formats.jsonl_format import JsonLinesFormat
from engine.export.formats.parquet_format import ParquetFormat
from engine.export.formats.sav_format import SavFormat
from engine.export.formats.xlsx_format import XlsxFormat

FORMATS = {
    "csv": CsvFormat,
    "jsonl": JsonLinesFormat,
    "xlsx": XlsxFormat,
    "parquet": ParquetFormat,
    "sav": SavFormat,
}
