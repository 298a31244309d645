"""What a plugin adds to each exported response from its own tables, joined in SQL.

The engine knows only a response's subject; a plugin that knows more about subjects (e.g. where
a person lives) gives a `SubjectJoin` (hook `kompass_export_joins`): a table or subquery, the
condition that joins it to `Response.subject`, and the SQL value of each of its export columns
(those of `kompass_export_columns`). The database joins them to the export's query, so a batch
of rows arrives with these values: no query per batch, no objects per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, Select


@dataclass(frozen=True, eq=False)
class SubjectJoin:
    """`source` is outer-joined `on` a condition on `Response.subject`; `values` are the SQL
    values of export columns by name, read from `source`."""

    source: FromClause
    on: ColumnElement[bool]
    values: dict[str, ColumnElement]


def joined(statement: Select, joins: Sequence[SubjectJoin]) -> Select:
    """`statement` with each join's values added as columns named by their export column."""
    for join in joins:
        statement = statement.outerjoin(join.source, join.on).add_columns(
            *(value.label(name) for name, value in join.values.items())
        )
    return statement


def names(joins: Sequence[SubjectJoin]) -> list[str]:
    """The export columns the joins fill, in the order `joined` adds them."""
    return [name for join in joins for name in join.values]
