"""The codebook of an export as rows: one per column, and one per allowed value.

The same rows become codebook.csv / codebook_values.csv and the workbook's codebook sheets,
with a label column per label language (`label_<language>`). A value's `spss_code` is the number
it is in the SPSS format (formats/sav_codes.py), the same in every format's codebook.
"""

from collections.abc import Iterator

from engine.export.formats.sav_codes import codes
from engine.export.layout import Layout


def codebook_header(layout: Layout) -> tuple[str, ...]:
    return ("table", "column", "question", "type", "question_type",
            *_label_names(layout), "versions")  # fmt: skip


def values_header(layout: Layout) -> tuple[str, ...]:
    return ("table", "column", "value", *_label_names(layout), "spss_code")


def _label_names(layout: Layout) -> list[str]:
    return [f"label_{language}" for language in layout.languages]


def codebook_rows(layout: Layout) -> Iterator[tuple]:
    """A row per column."""
    for table in layout.tables:
        for column in table.columns:
            yield (
                table.name, column.name, column.variable, column.kind, column.question_type,
                *_in_languages(column.label, layout),
                " ".join(map(str, column.versions or layout.versions)),
            )  # fmt: skip


def value_rows(layout: Layout) -> Iterator[tuple]:
    """A row per allowed value of a coded column."""
    for table in layout.tables:
        for column in table.columns:
            spss = codes(column)
            for value, label in column.values:
                code = str(spss[value]) if spss else ""  # none where not coded (a summary)
                yield table.name, column.name, value, *_in_languages(label, layout), code


def _in_languages(label: dict[str, str], layout: Layout) -> list[str]:
    return [label.get(language, "") for language in layout.languages]
