"""Check answers: drop hidden ones, apply the JSON Schema, then required and cross-field rules.

Hidden means the `visible_if` condition is definitely false (see `engine.definition.expressions`);
pages
show a follow-up only when it is definitely true (`shown`). `check` is the one schema check of a
save: storage keeps only the `Checked` answers it makes, without checking them again.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.definition.model import Question
from engine.questionnaire import schema
from engine.questionnaire.loaded import Questionnaire
from engine.responses import entries

Path = tuple[str | int, ...]

_SCHEMA_CODES = {
    "type": "invalid",
    "enum": "invalid_choice",
    "minimum": "too_small",
    "maximum": "too_large",
    "minLength": "too_short",
    "maxLength": "too_long",
    "pattern": "pattern",
    "minItems": "too_few",
    "maxItems": "too_many",
    "uniqueItems": "invalid",
    "additionalProperties": "unknown_question",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the answers; `code` selects a message, `message_key` a custom one."""

    path: Path
    code: str
    params: dict = field(default_factory=dict)
    message_key: str | None = None

    @property
    def question_id(self) -> str:
        names = [part for part in self.path if isinstance(part, str)]
        return names[-1] if names else ""


_SEAL = object()  # only `check` holds it, so only `check` makes a `Checked`


@dataclass(frozen=True)
class Checked:
    """Answers as they would be stored (entry ids given, hidden ones dropped) and their schema
    problems; `valid` ones may be stored as they are. Made only by `check`."""

    questionnaire: Questionnaire
    answers: dict
    problems: tuple[Problem, ...]
    seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seal is not _SEAL:
            raise TypeError(
                "Checked answers are made only by engine.questionnaire.validation.check"
            )

    @property
    def valid(self) -> bool:
        return not self.problems


def check(questionnaire: Questionnaire, answers: dict) -> Checked:
    """Give entries their ids, drop hidden answers and apply the schema, once."""
    kept = prune_hidden(questionnaire, entries.ensure_ids(questionnaire, answers))
    return Checked(questionnaire, kept, tuple(schema_problems(questionnaire, kept)), _SEAL)


def visible(questionnaire: Questionnaire, question: Question, answers: dict, entry=None) -> bool:
    """False only when the question's condition is definitely false."""
    expression = questionnaire.visible_if.get(question.id)
    return expression is None or expression.evaluate(_lookup(answers, entry)) is not False


def shown(questionnaire: Questionnaire, question: Question, answers: dict, entry=None) -> bool:
    """True only when the question's condition is definitely true: a page shows a follow-up
    once its trigger is answered, while `visible` (for validation) keeps it until it is false."""
    expression = questionnaire.visible_if.get(question.id)
    return expression is None or expression.evaluate(_lookup(answers, entry)) is True


def _lookup(answers: dict, entry: dict | None):
    def lookup(name: str) -> object:
        if entry is not None and name in entry:
            return entry[name]
        return answers.get(name)

    return lookup


def prune_hidden(questionnaire: Questionnaire, answers: dict) -> dict:
    """The answers without those to hidden questions, at every level."""
    pruned = {}
    top = [q for s in questionnaire.source.sections for q in s.questions]
    for question in top:
        if question.id in answers and visible(questionnaire, question, answers):
            value = answers[question.id]
            if question.questions and isinstance(value, list):
                value = [_prune_entry(questionnaire, question, answers, e) for e in value]
            pruned[question.id] = value
    return pruned


def _prune_entry(questionnaire, group: Question, answers: dict, entry: object) -> object:
    if not isinstance(entry, dict):
        return entry
    return {
        q.id: entry[q.id]
        for q in group.questions
        if q.id in entry and visible(questionnaire, q, answers, entry)
    } | {key: value for key, value in entry.items() if key not in _ids(group.questions)}


def _ids(questions: Iterable[Question]) -> set[str]:
    return {q.id for q in questions}


def validate(
    questionnaire: Questionnaire,
    answers: dict,
    scope: set[str] | None = None,
    require: bool = True,
) -> list[Problem]:
    """Every problem with `answers` (already pruned), limited to top-level ids in `scope`."""
    problems = schema_problems(questionnaire, answers)
    if not problems:
        problems = rule_problems(questionnaire, answers, require)
    return [p for p in problems if scope is None or (p.path and p.path[0] in scope)]


def schema_problems(questionnaire: Questionnaire, answers: object) -> list[Problem]:
    problems = []
    for error in schema.validator(questionnaire).iter_errors(answers):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            path += (next((k for k in error.instance if k not in allowed), ""),)
        params = {"limit": error.validator_value} if error.validator != "enum" else {}
        problems.append(Problem(path, _SCHEMA_CODES.get(str(error.validator), "invalid"), params))
    return problems


def rule_problems(
    questionnaire: Questionnaire,
    answers: dict,
    require: bool,
    questions: Iterable[Question] | None = None,
) -> list[Problem]:
    """Required answers and `check` constraints, for visible questions only: the top-level
    `questions` (a page's) and what they hold, or every question."""
    if questions is None:
        questions = [q for s in questionnaire.source.sections for q in s.questions]
    problems: list[Problem] = []
    for question in questions:
        if visible(questionnaire, question, answers):
            problems += _question_rules(questionnaire, question, answers, None, (), require)
    return problems


def _question_rules(questionnaire, question, answers, entry, prefix, require) -> list[Problem]:
    container = entry if entry is not None else answers
    value = container.get(question.id)
    path = prefix + (question.id,)
    if value in (None, "", [], {}):
        if require and question.required:
            return [Problem(path, "required")]
        return []
    problems = [
        Problem(path, "custom", message_key=message)
        for expression, message in questionnaire.checks.get(question.id, [])
        if expression.evaluate(_lookup(answers, entry)) is False
    ]
    if question.questions and isinstance(value, list):
        for index, child_entry in enumerate(value):
            for child in question.questions:
                if visible(questionnaire, child, answers, child_entry):
                    problems += _question_rules(
                        questionnaire, child, answers, child_entry, path + (index,), require
                    )
    return problems
