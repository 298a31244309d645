"""The review page's "Check this" list: the soft consistency checks the answers raise
(`engine.questionnaire.soft_checks`), each with its message and a link to the first question it
concerns.
They never block submitting."""

from dataclasses import dataclass

from flask import url_for

from engine.questionnaire import soft_checks
from engine.questionnaire.loaded import Questionnaire
from renderers.html.bilingual import Bilingual, pair
from renderers.html.formdata import field_name


@dataclass(frozen=True)
class CheckThis:
    message: Bilingual
    question: Bilingual
    url: str


def items(
    questionnaire: Questionnaire, answers: dict, lang: str, beside: str | None, staff: bool
) -> list[CheckThis]:
    return [
        _item(questionnaire, rule, lang, beside)
        for rule in soft_checks.raised(questionnaire, answers, include_staff=staff)
    ]


def _item(questionnaire: Questionnaire, rule: soft_checks.Rule, lang, beside) -> CheckThis:
    question = questionnaire.questions[rule.first_question]
    shown = questionnaire.group_of.get(question.id, question.id)  # an entry's group is linked
    anchor = field_name((shown,)).replace(".", "-")
    return CheckThis(
        message=pair(questionnaire, lambda lg: questionnaire.message(rule.message, lg), lang,
                     beside),
        question=pair(questionnaire, lambda lg: questionnaire.label(question, lg), lang, beside),
        url=url_for("respondent.section", section_id=questionnaire.section_of[question.id],
                    _anchor=anchor),
    )  # fmt: skip
