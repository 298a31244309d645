"""The message shown for each kind of problem with an answer (translated UI strings)."""

from flask_babel import gettext as _

from engine.questionnaire import Questionnaire
from engine.richtext import rich
from engine.validation import Problem


def describe(problem: Problem, questionnaire: Questionnaire, lang: str) -> str:
    if problem.message_key:
        return rich(questionnaire.message(problem.message_key, lang).value)
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
