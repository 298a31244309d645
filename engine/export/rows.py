"""Stream the rows of an export from the database, batch by batch, in constant memory.

Responses are read with `yield_per` (a server-side cursor on PostgreSQL); each batch is turned
into rows of the tidy tables and handed on before the next batch is read.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.entries import ENTRY_ID
from engine.export.layout import BINARY, RESPONSES, SEPARATOR, Column, Layout, Table
from engine.storage import Response

BATCH = 1000
Row = dict[str, object]
SubjectValues = Callable[[list[str]], dict[str, dict[str, object]]]


@dataclass(frozen=True)
class Criteria:
    """Which responses an export holds. `subject_filters` match columns added by plugins."""

    questionnaire_id: str
    version_ids: dict[int, int]
    states: tuple[str, ...] = ("submitted",)
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    language: str | None = None
    mode: str | None = None
    subject_filters: dict[str, str] = field(default_factory=dict)


def pseudonym(key: str, subject: str) -> str:
    """A keyed hash of the subject: stable across exports, meaningless without the key."""
    return hmac.new(key.encode(), subject.encode(), hashlib.sha256).hexdigest()[:20]


def query(criteria: Criteria):
    columns = (
        Response.id, Response.subject, Response.version_id, Response.state, Response.language,
        Response.mode, Response.created_at, Response.updated_at, Response.submitted_at,
        Response.answers,
    )  # fmt: skip
    statement = select(*columns).where(
        Response.questionnaire_id == criteria.questionnaire_id,
        Response.version_id.in_(list(criteria.version_ids.values())),
        Response.state.in_(criteria.states),
    )
    if criteria.submitted_from is not None:
        statement = statement.where(Response.submitted_at >= criteria.submitted_from)
    if criteria.submitted_to is not None:
        statement = statement.where(Response.submitted_at < criteria.submitted_to)
    if criteria.language:
        statement = statement.where(Response.language == criteria.language)
    if criteria.mode:
        statement = statement.where(Response.mode == criteria.mode)
    return statement.order_by(Response.id)


def stream(
    session: Session,
    layout: Layout,
    criteria: Criteria,
    subject_values: SubjectValues,
    person_id: Callable[[str], str],
    batch: int = BATCH,
) -> Iterator[tuple[str, Row]]:
    """(table name, row) for every matching response and each of its entries."""
    version_of = {version_id: number for number, version_id in criteria.version_ids.items()}
    result = session.execute(query(criteria).execution_options(yield_per=batch))
    for partition in result.partitions():
        extra = subject_values([r.subject for r in partition])
        for record in partition:
            values = extra.get(record.subject, {})
            if any(values.get(k) != v for k, v in criteria.subject_filters.items()):
                continue
            facts = {
                "response_id": record.id, "person": person_id(record.subject),
                "version": version_of[record.version_id], "state": record.state,
                "language": record.language, "mode": record.mode,
                "created_at": record.created_at, "updated_at": record.updated_at,
                "submitted_at": record.submitted_at, **values,
            }  # fmt: skip
            yield from rows_of(layout, facts, record.answers or {})


def rows_of(layout: Layout, facts: Row, answers: dict) -> Iterator[tuple[str, Row]]:
    """The response's row, then one row per entry of each group."""
    version = facts["version"]
    main = layout.table(RESPONSES)
    yield (
        RESPONSES,
        {
            c.name: facts.get(c.name) if not c.variable else cell(c, answers, version)
            for c in main.columns
        },
    )
    for table in layout.tables:
        if table.parent is not None:
            yield from _entries(table, facts["response_id"], answers.get(table.name), version)


def _entries(table: Table, response_id, entries, version: int):
    for position, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        if not isinstance(entry, dict):
            continue
        keys = {"response_id": response_id, "entry_id": entry.get(ENTRY_ID), "position": position}
        yield (
            table.name,
            {
                c.name: keys.get(c.name) if not c.variable else cell(c, entry, version)
                for c in table.columns
            },
        )


def cell(column: Column, answers: dict, version: int) -> object:
    """The value of one column; None where the version lacks the variable or it is unanswered."""
    if version not in column.versions:
        return None
    value = answers.get(column.variable)
    if column.name == column.variable:
        return ";".join(value) if isinstance(value, list) else value
    part = column.name[len(column.variable) + len(SEPARATOR) :]
    if column.kind == BINARY:
        return None if not isinstance(value, list) else int(part in value)
    return value.get(part) if isinstance(value, dict) else None
