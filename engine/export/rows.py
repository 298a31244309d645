"""Stream the rows of an export from the database, batch by batch, in constant memory.

Responses are read with `yield_per` (a server-side cursor on PostgreSQL); each batch is turned
into rows of the tidy tables and handed on before the next batch is read.
"""

from collections.abc import Callable, Collection, Iterator, Sequence
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
Row = dict[str, object]
SubjectValues = Callable[[list[str]], dict[str, dict[str, object]]]


@dataclass(frozen=True)
class Criteria:
    """Which responses an export holds. `subject_conditions` are the plugins' filters, SQL
    conditions on `Response.subject` (engine/export/filters.py); `conditions` any further SQL
    conditions on `Response` (the OData feed's `$filter`), and `after` a response id the rows
    begin after (keyset paging: the ids are read in order)."""

    questionnaire_id: str
    version_ids: dict[int, int]
    states: tuple[str, ...] = ("submitted",)
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    language: str | None = None
    mode: str | None = None
    subject_conditions: tuple[ColumnElement[bool], ...] = ()
    conditions: tuple[ColumnElement[bool], ...] = ()
    after: int | None = None


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


COLUMNS = (
    Response.id, Response.subject, Response.version_id, Response.state, Response.language,
    Response.mode, Response.created_at, Response.updated_at, Response.submitted_at,
)  # fmt: skip


def query(criteria: Criteria, answers: bool = True):
    """The matching responses in the order of ids: the facts (`FACTS`), the answers unless not
    needed, then (`joins.joined`) the values of plugins' joins."""
    statement = select(*COLUMNS, *([Response.answers] if answers else [])).where(
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
    if criteria.after is not None:
        statement = statement.where(Response.id > criteria.after)
    statement = statement.where(*criteria.subject_conditions, *criteria.conditions)
    return statement.order_by(Response.id)


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
    for _last, found in batches(session, layout, criteria, subject_values, shown, batch):
        yield from found


def batches(
    session: Session,
    layout: Layout,
    criteria: Criteria,
    subject_values: SubjectValues,
    shown: Shown,
    batch: int = BATCH,
    tables: Collection[str] | None = None,
) -> Iterator[tuple[int, Iterator[tuple[str, Row]]]]:
    """Per batch of `batch` responses: the highest response id it holds (where the next batch
    begins) and its rows (of every table, or only of `tables`), to be read before the next."""
    plans = {number: plan(layout, number, tables) for number in criteria.version_ids}
    statement = joins.joined(query(criteria), layout.joins)
    result = session.execute(statement.execution_options(yield_per=batch))
    try:
        for partition in result.partitions():
            found = _shown_facts(session, criteria, layout, partition, subject_values, shown,
                                 shown.shows_marks)  # fmt: skip
            yield partition[-1].id, _batch_rows(found, plans)
    finally:
        result.close()


def facts(
    session: Session,
    criteria: Criteria,
    layout: Layout,
    subject_values: SubjectValues,
    shown: Shown,
) -> Iterator[Row]:
    """The facts of every matching response as shown, with the plugins' values but without
    answers or verification marks (what a group check needs, read in batches)."""
    statement = joins.joined(query(criteria, answers=False), layout.joins)
    result = session.execute(statement.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        for found, _ in _shown_facts(session, criteria, layout, partition, subject_values, shown,
                                     False):  # fmt: skip
            yield found


def _shown_facts(
    session, criteria, layout, partition, subject_values, shown, with_marks: bool
) -> list[tuple[Row, dict]]:
    """(facts as shown, answers) of one batch; pseudonymised, in the order of pseudonyms."""
    version_of = {version_id: number for number, version_id in criteria.version_ids.items()}
    joined = joins.names(layout.joins)
    joined_from = len(partition[0]) - len(joined) if partition else 0
    extra = subject_values([r.subject for r in partition])
    marks = verified.values(session, [r.id for r in partition]) if with_marks else {}
    found = []
    for record in partition:
        facts = dict(zip(FACTS, record, strict=False))  # the query's first columns
        facts["person"] = shown.person(record.subject)
        facts["version"] = version_of[record.version_id]
        if joined:
            facts.update(zip(joined, record[joined_from:], strict=True))
        if extra:
            facts.update(extra.get(record.subject, ()))
        if marks:
            facts.update(marks.get(record.id, ()))
        found.append((shown.facts(facts), getattr(record, "answers", None) or {}))
    if not isinstance(shown, Identified):
        found.sort(key=lambda pair: pair[0]["person"])
    return found


def _batch_rows(found: list[tuple[Row, dict]], plans: dict) -> Iterator[tuple[str, Row]]:
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
    """`main` is None when the responses' own rows are not wanted (only a group's)."""

    main: TablePlan | None
    groups: list[TablePlan]

    def rows(self, facts: Row, answers: dict) -> Iterator[tuple[str, Row]]:
        """The response's row, then one row per entry of each group."""
        if self.main is not None:
            yield RESPONSES, self.main.row(facts, answers)
        for group in self.groups:
            entries = answers.get(group.name)
            for position, entry in enumerate(entries if isinstance(entries, list) else [], 1):
                if isinstance(entry, dict):
                    keys = {"response_id": facts["response_id"],
                            "entry_id": entry.get(ENTRY_ID), "position": position}  # fmt: skip
                    yield group.name, group.row(keys, entry)


def plan(layout: Layout, version: int, tables: Collection[str] | None = None) -> VersionPlan:
    """How a version's rows are made: of every table, or only of `tables`."""
    wanted = [t for t in layout.tables if tables is None or t.name in tables]
    main = next((_table_plan(t, version) for t in wanted if t.parent is None), None)
    return VersionPlan(main, [_table_plan(t, version) for t in wanted if t.parent is not None])


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
