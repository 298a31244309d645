"""The codebook of an export as rows: one per column, and one per allowed value.

The same rows become codebook.csv / codebook_values.csv and the workbook's codebook sheets.
"""

from collections.abc import Iterator

from engine.export.layout import Layout

CODEBOOK_HEADER = ("table", "column", "question", "type", "question_type",
                   "label_nb", "label_en", "versions")  # fmt: skip
VALUES_HEADER = ("table", "column", "value", "label_nb", "label_en")


def codebook_rows(layout: Layout) -> Iterator[tuple]:
    """A row per column."""
    for table in layout.tables:
        for column in table.columns:
            yield (
                table.name, column.name, column.variable, column.kind, column.question_type,
                column.label.get("nb", ""), column.label.get("en", ""),
                " ".join(map(str, column.versions or layout.versions)),
            )  # fmt: skip


def value_rows(layout: Layout) -> Iterator[tuple]:
    """A row per allowed value of a coded column."""
    for table in layout.tables:
        for column in table.columns:
            for value, label in column.values:
                yield table.name, column.name, value, label.get("nb", ""), label.get("en", "")
