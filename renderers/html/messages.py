"""The message shown for each kind of problem with an answer (translated UI strings).

A message says what to do and names the question's limits ("Write a number from 0 to 30"); a
check's `message` and a question's own `required` text in the translation files come first.
"""

from flask_babel import gettext as _

from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import rich
from engine.questionnaire.validation import Problem
from engine.translation.texts import Text

# What to do with an unanswered question, by widget.
_REQUIRED = {
    "radio": lambda: _("Choose one answer."),
    "select": lambda: _("Choose one answer."),
    "checkboxes": lambda: _("Choose at least one answer."),
    "scale": lambda: _("Choose one answer on each line."),
    "text": lambda: _("Write your answer."),
    "long_text": lambda: _("Write your answer."),
}
_NUMBER_CODES = ("required", "not_a_whole_number", "not_a_year", "too_small", "too_large")


def describe(problem: Problem, questionnaire: Questionnaire, lang: str) -> str:
    own = questionnaire_text(problem, questionnaire, lang)
    if own is not None:
        return rich(own.value)
    question = questionnaire.questions.get(problem.question_id)
    return (question and _limits_message(problem, question, questionnaire)) or _generic(problem)


def questionnaire_text(problem: Problem, questionnaire: Questionnaire, lang: str) -> Text | None:
    """The questionnaire's own text for this message, if it has one (it may have a clip): a
    check's message, or a question's own text for a missing answer; None for the defaults."""
    if problem.message_key:
        return questionnaire.message(problem.message_key, lang)
    question = questionnaire.questions.get(problem.question_id)
    if question is not None and problem.code == "required":
        return questionnaire.required_message(question, lang)
    return None


def _limits_message(problem: Problem, question: Question, q: Questionnaire) -> str | None:
    """The default message for this question, naming its limits or what to do."""
    widget = q.qtype(question).widget
    if widget in ("integer", "year") and problem.code in _NUMBER_CODES:
        limits = q.qtype(question).value_schema(question, [])
        low, high = limits.get("minimum"), limits.get("maximum")
        if low is not None and high is not None:
            if widget == "year":
                return _("Write a year from %(min)s to %(max)s.", min=low, max=high)
            return _("Write a number from %(min)s to %(max)s.", min=low, max=high)
    if problem.code == "required" and widget in _REQUIRED:
        return _REQUIRED[widget]()
    return None


def _generic(problem: Problem) -> str:
    limit = problem.params.get("limit")
    messages = {
        "required": lambda: _("Answer this question."),
        "invalid_choice": lambda: _("Choose one of the options."),
        "not_a_whole_number": lambda: _("Write a whole number, using digits only."),
        "not_a_year": lambda: _("Write the year with four digits, for example 2015."),
        "too_small": lambda: _("The number must be %(limit)s or more.", limit=limit),
        "too_large": lambda: _("The number must be %(limit)s or less.", limit=limit),
        "too_short": lambda: _("Write at least %(limit)s characters.", limit=limit),
        "too_long": lambda: _("Write at most %(limit)s characters.", limit=limit),
        "too_few": lambda: _("Choose at least %(limit)s.", limit=limit),
        "too_many": lambda: _("There can be at most %(limit)s.", limit=limit),
        "pattern": lambda: _("The answer is not in the expected form."),
    }
    return messages.get(problem.code, lambda: _("This answer is not valid."))()
