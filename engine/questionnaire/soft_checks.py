"""Soft consistency checks (`warnings:` in questionnaire.yaml): answers that are allowed but
unlikely together. They never block saving or submitting; the respondent is asked to check them
on the review page and staff see them flagged in the profile.

A warning is raised when its `when` expression is definitely true (three-valued logic: an
unanswered question never raises one).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from engine.definition import expressions
from engine.definition.expressions import Expression
from engine.definition.model import QuestionnaireSource, SoftWarning
from engine.questionnaire.loaded import Questionnaire


@dataclass(frozen=True)
class Rule:
    id: str
    section: str | None  # None for a warning of the whole questionnaire
    expression: Expression
    message: str
    questions: tuple[str, ...]

    @property
    def first_question(self) -> str:
        return self.questions[0]


def declared(source: QuestionnaireSource) -> Iterator[tuple[tuple, SoftWarning, str | None]]:
    """(path in questionnaire.yaml, warning, section id or None) for every warning."""
    for index, warning in enumerate(source.warnings):
        yield ("warnings", index), warning, None
    for s_index, section in enumerate(source.sections):
        for index, warning in enumerate(section.warnings):
            yield ("sections", s_index, "warnings", index), warning, section.id


def rules(questionnaire: Questionnaire) -> tuple[Rule, ...]:
    """The version's warnings, parsed once (`check` refused bad ones before publishing)."""
    return questionnaire.memo.get(("soft_checks",), lambda: tuple(_parsed(questionnaire)))


def _parsed(questionnaire: Questionnaire) -> Iterator[Rule]:
    for _path, warning, section in declared(questionnaire.source):
        yield Rule(warning.id, section, expressions.parse(warning.when), warning.message,
                   tuple(warning.questions))  # fmt: skip


def raised(questionnaire: Questionnaire, answers: dict, include_staff: bool = False) -> list[Rule]:
    """The warnings these answers raise; those of staff-only sections only with `include_staff`."""
    shown = {s.id for s in questionnaire.sections(include_staff=include_staff)}
    return [
        rule
        for rule in rules(questionnaire)
        if (rule.section is None or rule.section in shown)
        and rule.expression.evaluate(answers.get) is True
    ]
