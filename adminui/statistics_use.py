"""What the statistics page counts in a questionnaire: `uses: statistics:` in questionnaire.yaml.

The page's tables (their titles, and that education counts each person at their highest level)
are the page's; which question each table counts is the questionnaire's, per version. How one
person counts follows from the question: a scale by row, several choices or a question inside
a repeatable group in several rows, any other choice in one.
"""

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from engine.definition import uses
from engine.definition.uses import Choice, Choices, Rows, Use
from engine.questionnaire.loaded import Questionnaire

KEY = "statistics"
Pairs = set[tuple[str, str]]


class Statistics(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    education_level: Choice | None = None  # each person once, at the highest (numbered) level
    field: Choice | None = None
    norwegian: Rows | None = None
    licence: Choice | None = None
    licence_classes: Choices | None = None
    occupation: Choice | None = None
    digital: Rows | None = None


HIGHEST = {"education_level"}
USE = Use(KEY, Statistics)


def declared(questionnaire: Questionnaire | None) -> bool:
    """Whether this version has a `statistics` entry in its `uses:`."""
    return questionnaire is not None and uses.read(questionnaire, USE) is not None


def counted(questionnaire: Questionnaire | None) -> dict[str, str]:
    """Table key -> the question it counts in this version (none for a version without)."""
    statistics = uses.read(questionnaire, USE) if questionnaire is not None else None
    chosen = statistics.model_dump() if statistics else {}
    return {table: question for table, question in chosen.items() if question is not None}


def several(questionnaire: Questionnaire, question_id: str) -> bool:
    """Whether one person can count in several rows of one group for this question."""
    question = questionnaire.questions[question_id]
    in_group = question_id in questionnaire.group_of
    return in_group or uses.has_several_answers(questionnaire, question)


def values(questionnaire: Questionnaire, table: str, question_id: str) -> Callable[[dict], Pairs]:
    """The (group, code) pairs one person's answers count in, for `table` in this version."""
    question = questionnaire.questions[question_id]
    group = questionnaire.group_of.get(question_id)
    if table in HIGHEST:
        return _highest(group, question_id)
    if group is not None:
        return _in_entries(group, question_id)
    if question.rows:
        return _scale(question_id)
    if several(questionnaire, question_id):
        return _several(question_id)
    return _single(question_id)


def _entries(answers: dict, group: str | None) -> list[dict]:
    entries = answers.get(group) if group else [answers]
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _highest(group: str | None, question: str) -> Callable[[dict], Pairs]:
    def values(answers: dict) -> Pairs:
        levels = [entry.get(question) for entry in _entries(answers, group)]
        levels = [level for level in levels if isinstance(level, str) and level.isdigit()]
        return {("", max(levels, key=int))} if levels else set()

    return values


def _in_entries(group: str, question: str) -> Callable[[dict], Pairs]:
    def values(answers: dict) -> Pairs:
        chosen = (entry.get(question) for entry in _entries(answers, group))
        return {("", value) for value in chosen if isinstance(value, str)}

    return values


def _single(question: str) -> Callable[[dict], Pairs]:
    return lambda answers: (
        {("", answers[question])} if isinstance(answers.get(question), str) else set()
    )


def _several(question: str) -> Callable[[dict], Pairs]:
    def values(answers: dict) -> Pairs:
        chosen = answers.get(question)
        chosen = chosen if isinstance(chosen, list) else []
        return {("", value) for value in chosen if isinstance(value, str)}

    return values


def _scale(question: str) -> Callable[[dict], Pairs]:
    def values(answers: dict) -> Pairs:
        rows = answers.get(question)
        rows = rows if isinstance(rows, dict) else {}
        return {(row, value) for row, value in rows.items() if isinstance(value, str)}

    return values
