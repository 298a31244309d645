"""The tidy tables of an export: which tables, which columns, from one or more frozen versions.

One row per response in `responses`; each repeated group is its own table keyed by response id
and stable entry id. Column names come from question ids, so they stay the same across
versions: a variable that a version lacks is left empty for that version, never shifted.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from engine.definition.model import Question
from engine.export import verified
from engine.export.joins import SubjectJoin
from engine.questionnaire.loaded import Questionnaire
from engine.translation.staff_texts import staff_labels

RESPONSES = "responses"
SEPARATOR = "__"

INTEGER, STRING, BINARY, DATETIME = "integer", "string", "binary", "datetime"


@dataclass(frozen=True)
class Column:
    """One column: `variable` is the question id it comes from ("" for response facts)."""

    name: str
    kind: str
    variable: str = ""
    label: dict[str, str] = field(default_factory=dict)
    values: tuple[tuple[str, dict[str, str]], ...] = ()
    versions: tuple[int, ...] = ()
    question_type: str = ""
    summary: bool = False  # all chosen values of a multiple choice, joined by ";"
    linkable: bool = False  # an identified event log could be matched with it (the place)
    ordered: bool = False  # values ranked as listed (scale rows, ordered_lists): SPSS ordinal
    partly_coded: bool = False  # one of its values per cell in some versions only (type changed)

    @property
    def coded(self) -> bool:
        """Each cell one of its values, in every version (a multiple choice's summary: several)."""
        return bool(self.values) and not self.summary and not self.partly_coded

    def merged(self, other: "Column") -> "Column":
        """This column as it exists in more versions: values and versions joined."""
        known = dict(self.values) | dict(other.values)
        order = dict.fromkeys([v for v, _ in self.values] + [v for v, _ in other.values])
        return replace(
            other,
            values=tuple((v, known[v]) for v in order),
            versions=tuple(sorted(set(self.versions) | set(other.versions))),
            partly_coded=self.partly_coded or other.partly_coded or self.coded != other.coded,
        )


@dataclass
class Table:
    name: str
    key: tuple[str, ...]
    columns: list[Column]
    parent: str | None = None
    label: dict[str, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class Layout:
    """`languages`: the label languages (the deployment's `LABEL_LANGUAGES`), main one first;
    `joins`: where the database finds the plugins' columns (engine/export/joins.py)."""

    questionnaire_id: str
    versions: list[int]
    tables: list[Table]
    languages: tuple[str, ...]
    joins: tuple[SubjectJoin, ...] = ()


def response_columns(
    extra: list[Column], languages: Sequence[str], pseudonymised: bool = False
) -> list[Column]:
    """Facts about each response, then what plugins add (e.g. where a person lives).
    Pseudonymised, the response id is a keyed hash and times are dates
    (engine/export/pseudonymise.py)."""
    moment = STRING if pseudonymised else DATETIME
    facts = [
        Column("response_id", STRING if pseudonymised else INTEGER,
               label=staff_labels("Response id", languages)),
        Column("person", STRING, label=staff_labels("Person (pseudonym)", languages)),
        Column("version", INTEGER, label=staff_labels("Questionnaire version", languages)),
        Column("state", STRING, label=staff_labels("State", languages)),
        Column("language", STRING, label=staff_labels("Answer language", languages)),
        Column("mode", STRING, label=staff_labels("Mode (self/interview)", languages)),
        Column("created_at", moment, label=staff_labels("Started", languages)),
        Column("updated_at", moment, label=staff_labels("Last saved", languages)),
        Column("submitted_at", moment, label=staff_labels("Submitted", languages)),
    ]  # fmt: skip
    return facts + extra


def entry_columns(languages: Sequence[str], pseudonymised: bool = False) -> list[Column]:
    return [
        Column("response_id", STRING if pseudonymised else INTEGER,
               label=staff_labels("Response id", languages)),
        Column("entry_id", STRING, label=staff_labels("Entry id", languages)),
        Column("position", INTEGER, label=staff_labels("Position", languages)),
    ]  # fmt: skip


def build(
    questionnaires: list[Questionnaire],
    extra: list[Column],
    languages: Sequence[str],
    pseudonymised: bool = False,
    joins: Sequence[SubjectJoin] = (),
) -> Layout:
    """The layout of an export of these versions (all of one questionnaire), oldest first, with
    labels in `languages` (those a version lacks: its source language); `joins` fill some of
    the `extra` columns in SQL."""
    ordered = sorted(questionnaires, key=lambda q: q.version)
    tables: dict[str, Table] = {RESPONSES: Table(RESPONSES, ("response_id",), [])}
    columns: dict[str, dict[str, Column]] = {RESPONSES: {}}
    for questionnaire in ordered:
        for table_name, column, group in _columns_of(questionnaire, languages):
            if group is not None and table_name not in tables:
                tables[table_name] = Table(
                    table_name, ("response_id", "entry_id"), [], RESPONSES,
                    _labels(questionnaire, languages,
                            lambda lg, g=group, q=questionnaire: q.label(g, lg)),
                )  # fmt: skip
                columns[table_name] = {}
            seen = columns[table_name]
            seen[column.name] = seen[column.name].merged(column) if column.name in seen else column
    facts = response_columns(extra, languages, pseudonymised)
    tables[RESPONSES].columns = (
        facts + list(columns[RESPONSES].values()) + verified.columns(ordered, languages)
    )
    for name, table in tables.items():
        if name != RESPONSES:
            table.columns = entry_columns(languages, pseudonymised) + list(columns[name].values())
    versions = [q.version for q in ordered]
    return Layout(ordered[0].id, versions, list(tables.values()), tuple(languages), tuple(joins))


def _columns_of(questionnaire: Questionnaire, languages: Sequence[str]):
    """(table name, column, group question or None) for every answer of one version."""
    for section in questionnaire.source.sections:
        for question in section.questions:
            qtype = questionnaire.qtype(question)
            if qtype.has_children:
                for child in question.questions:
                    for column in question_columns(questionnaire, child, languages):
                        yield question.id, column, question
            elif qtype.has_answer:
                for column in question_columns(questionnaire, question, languages):
                    yield RESPONSES, column, None


def question_columns(
    questionnaire: Questionnaire, question: Question, languages: Sequence[str]
) -> list[Column]:
    """The columns one question becomes (empty for a note), labelled in `languages`."""
    qtype = questionnaire.qtype(question)
    if not qtype.has_answer:
        return []
    label = _labels(questionnaire, languages, lambda lg: questionnaire.label(question, lg))
    base = Column(
        question.id, STRING, question.id, label, versions=(questionnaire.version,),
        question_type=question.type,
    )  # fmt: skip
    choices = questionnaire.choices(question)
    values = tuple(
        (v, _labels(questionnaire, languages,
                    lambda lg, v=v: questionnaire.option_label(question, v, lg)))
        for v in choices
    )  # fmt: skip
    if qtype.columns is not None:
        return qtype.columns(question, replace(base, values=values))
    if qtype.has_rows:
        return [
            replace(base, name=f"{question.id}{SEPARATOR}{row}", values=values, ordered=True,
                    label=_row_label(questionnaire, question, row, label))
            for row in question.rows
        ]  # fmt: skip
    schema = qtype.value_schema(question, choices)
    if schema.get("type") == "array":
        return [replace(base, values=values, summary=True)] + [
            replace(base, name=f"{question.id}{SEPARATOR}{value}", kind=BINARY,
                    label={lg: f"{label[lg]}: {text[lg]}" for lg in label})
            for value, text in values
        ]  # fmt: skip
    if schema.get("type") == "integer":
        return [replace(base, kind=INTEGER)]
    return [replace(base, values=values, ordered=_ranked(questionnaire, question))]


def _ranked(questionnaire: Questionnaire, question: Question) -> bool:
    """Its options come from a list the questionnaire calls ordered."""
    return isinstance(question.options, str) and question.options in (
        questionnaire.source.ordered_lists
    )


def _labels(questionnaire: Questionnaire, languages: Sequence[str], lookup) -> dict[str, str]:
    """The labels in those of `languages` the version has, else in its source language."""
    offered = [lg for lg in languages if lg in questionnaire.languages()]
    offered = offered or [questionnaire.source.source_language]
    return {lang: lookup(lang).value for lang in offered}


def _row_label(questionnaire, question, row, label) -> dict[str, str]:
    return {lg: f"{label[lg]}: {questionnaire.row_label(question, row, lg).value}" for lg in label}
