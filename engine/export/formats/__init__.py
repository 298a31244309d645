"""Export formats. Each writes the tables of a `Layout` into a folder as rows arrive.

A format is a class with `__init__(folder, layout)`, `write(table, row)` and `close()`, which
returns the files it wrote (relative to the folder) by table name. Rows of one table arrive in
order; rows of different tables interleave.
"""

from engine.export.formats.csv_format import CsvFormat
from engine.export.formats.jsonl_format import JsonLinesFormat

FORMATS = {"csv": CsvFormat, "jsonl": JsonLinesFormat}
