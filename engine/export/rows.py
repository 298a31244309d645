"""Stream the rows of an export from the database, batch by batch, in constant memory.

Responses are read with `yield_per` (a server-side cursor on PostgreSQL); each batch is turned
into rows of the tidy tables and handed on before the next batch is read.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Protocol

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine.export import joins, verified
from engine.export.layout import BINARY, RESPONSES, SEPARATOR, Column, Layout, Table
from engine.export.pseudonymise import keyed
from engine.responses.entries import ENTRY_ID
from engine.responses.storage import Response

BATCH = 1000
# The facts of a response, named in the order `query` reads them (then the answers, then the
# values of plugins' joins); `stream` replaces the subject and the version's id.
FACTS = ("response_id", "person", "version", "state", "language", "mode", "created_at",
         "updated_at", "submitted_at")  # fmt: skip
JOINED_FROM = len(FACTS) + 1
Row = dict[str, object]
SubjectValues = Callable[[list[str]], dict[str, dict[str, object]]]


@dataclass(frozen=True)
class Criteria:
    """Which responses an export holds. `subject_conditions` are the plugins' filters, SQL
    conditions on `Response.subject` (engine/export/filters.py)."""

    questionnaire_id: str
    version_ids: dict[int, int]
    states: tuple[str, ...] = ("submitted",)
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    language: str | None = None
    mode: str | None = None
    subject_conditions: tuple[ColumnElement[bool], ...] = ()


def pseudonym(key: str, subject: str) -> str:
    """A keyed hash of the subject: stable across exports, meaningless without the key."""
    return keyed(key, subject)


class Shown(Protocol):
    """How persons and facts appear in the export (`Identified` or a `Pseudonymiser`)."""

    def person(self, subject: str) -> str: ...

    @property
    def shows_marks(self) -> bool:
        """Whether the counsellors' verification marks are exported."""

    def facts(self, facts: Row) -> Row: ...


class Identified:
    """An identifiable export: the subject and the facts as stored, in the order of ids."""

    shows_marks = True

    def person(self, subject: str) -> str:
        return subject

    def facts(self, facts: Row) -> Row:
        return facts


def query(criteria: Criteria):
    """The export's responses in the order of ids; a row's values from plugins' joins follow
    its first `JOINED_FROM` columns."""
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
    return statement.where(*criteria.subject_conditions).order_by(Response.id)


def stream(
    session: Session,
    layout: Layout,
    criteria: Criteria,
    subject_values: SubjectValues,
    shown: Shown,
    batch: int = BATCH,
) -> Iterator[tuple[str, Row]]:
    """(table name, row) for every matching response and each of its entries. Pseudonymised,
    each batch is in the order of pseudonyms, so a row's place does not tell its age."""
    version_of = {version_id: number for number, version_id in criteria.version_ids.items()}
    plans = {number: plan(layout, number) for number in criteria.version_ids}
    statement = joins.joined(query(criteria), layout.joins)
    joined = joins.names(layout.joins)
    result = session.execute(statement.execution_options(yield_per=batch))
    for partition in result.partitions():
        extra = subject_values([r.subject for r in partition])
        marks = verified.values(session, [r.id for r in partition]) if shown.shows_marks else {}
        found = []
        for record in partition:
            facts = dict(zip(FACTS, record, strict=False))  # the query's first columns
            facts["person"] = shown.person(record.subject)
            facts["version"] = version_of[record.version_id]
            if joined:
                facts.update(zip(joined, record[JOINED_FROM:], strict=True))
            if extra:
                facts.update(extra.get(record.subject, ()))
            if marks:
                facts.update(marks.get(record.id, ()))
            found.append((shown.facts(facts), record.answers or {}))
        if not isinstance(shown, Identified):
            found.sort(key=lambda pair: pair[0]["person"])
        for facts, answers in found:
            yield from plans[facts["version"]].rows(facts, answers)


Reader = Callable[[dict], Sequence]


@dataclass
class TablePlan:
    """How one table's rows are made for one version: every column starts empty, then the
    columns that exist in that version are read from the answers.

    Columns of one variable are read together (one look-up of the answer for all the options
    of a multiple choice or all the rows of a grid): the export's speed is mostly this loop.
    `names` are in the table's order (facts before the answers, then facts after them), so a
    version that has every column makes its row at once, without filling an empty one."""

    name: str
    empty: Row
    facts: list[str]
    names: list[str]
    readers: list[Reader]
    later_facts: list[str] = field(default_factory=list)

    def row(self, facts: Row, container: dict) -> Row:
        values = list(map(facts.get, self.facts))
        for read in self.readers:
            values += read(container)
        values += map(facts.get, self.later_facts)
        if len(values) == len(self.empty):
            return dict(zip(self.names, values, strict=True))
        row = dict(self.empty)
        row.update(zip(self.names, values, strict=True))
        return row


@dataclass
class VersionPlan:
    main: TablePlan
    groups: list[TablePlan]

    def rows(self, facts: Row, answers: dict) -> Iterator[tuple[str, Row]]:
        """The response's row, then one row per entry of each group."""
        yield RESPONSES, self.main.row(facts, answers)
        for group in self.groups:
            entries = answers.get(group.name)
            for position, entry in enumerate(entries if isinstance(entries, list) else [], 1):
                if isinstance(entry, dict):
                    keys = {"response_id": facts["response_id"],
                            "entry_id": entry.get(ENTRY_ID), "position": position}  # fmt: skip
                    yield group.name, group.row(keys, entry)


def plan(layout: Layout, version: int) -> VersionPlan:
    tables = [_table_plan(table, version) for table in layout.tables]
    return VersionPlan(tables[0], [t for t, table in zip(tables, layout.tables, strict=True)
                                   if table.parent is not None])  # fmt: skip


def _table_plan(table: Table, version: int) -> TablePlan:
    first = next((i for i, c in enumerate(table.columns) if c.variable), len(table.columns))
    facts = [c.name for c in table.columns[:first] if not c.variable]
    later = [c.name for c in table.columns[first:] if not c.variable]
    read = [c for c in table.columns if c.variable and version in c.versions]
    groups = [list(columns) for _, columns in groupby(read, key=_reading)]
    return TablePlan(
        name=table.name,
        empty=dict.fromkeys(table.names()),
        facts=facts,
        names=facts + [c.name for c in read] + later,
        readers=[reader(columns) for columns in groups],
        later_facts=later,
    )


def _reading(column: Column) -> tuple[str, str]:
    """Columns read together: neighbours that each hold a whole answer, or the options or rows
    of one variable."""
    if column.name == column.variable:
        return "", "whole"
    return column.variable, "options" if column.kind == BINARY else "rows"


def reader(columns: list[Column]) -> Reader:
    """Reads the values of some columns from the answers (None when unanswered)."""
    variable, how = _reading(columns[0])
    if how == "whole":
        variables = [c.variable for c in columns]
        return lambda answers: [
            ";".join(value) if type(value) is list else value
            for value in map(answers.get, variables)
        ]
    parts = [c.name[len(variable) + len(SEPARATOR) :] for c in columns]
    unanswered = (None,) * len(parts)
    if how == "options":
        return lambda answers: _chosen(answers.get(variable), parts, unanswered)
    return lambda answers: _rows_of(answers.get(variable), parts, unanswered)


def _chosen(value, options: list[str], unanswered: tuple) -> tuple:
    if not isinstance(value, list):
        return unanswered
    return tuple([int(option in value) for option in options])


def _rows_of(value, rows: list[str], unanswered: tuple) -> tuple:
    return tuple(map(value.get, rows)) if isinstance(value, dict) else unanswered
