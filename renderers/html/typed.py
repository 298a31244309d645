"""What an out-of-date page posted and was not saved, as text to copy back into the form."""

from werkzeug.datastructures import MultiDict

from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire
from engine.responses.answers_path import set_in
from renderers.html import formdata, review


def not_saved(
    questionnaire: Questionnaire,
    questions: list[Question],
    form: MultiDict,
    newest: dict,
    lang: str,
    beside: str | None,
) -> list[review.Line]:
    """The posted answers that differ from the newest ones, one line per question."""
    posted = formdata.parse_section(questionnaire, questions, form, newest)
    typed = posted.answers
    for problem in posted.problems:  # text that is no valid value is still what was typed
        question = questionnaire.questions.get(str(problem.path[-1]))
        if question is not None and not questionnaire.choices(question):
            set_in(typed, problem.path, posted.raw.get(formdata.field_name(problem.path)))
    changed = [q for q in questions if typed.get(q.id) != newest.get(q.id)]
    return review.lines(questionnaire, changed, typed, lang, beside)
