"""Save a posted page as a draft: keep every valid answer, never store an invalid one."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine import storage, validation
from engine.questionnaire import Questionnaire
from engine.respondent import Respondent
from engine.storage import Response
from engine.validation import Problem
from renderers.html.answers_path import del_in, get_in, set_in
from renderers.html.formdata import Posted

_REPAIR_ROUNDS = 5


@dataclass
class Saved:
    response: Response
    problems: list[Problem]


def save(
    session: Session,
    questionnaire: Questionnaire,
    response: Response,
    posted: Posted,
    revision: int,
    lang: str,
    respondent: Respondent,
) -> Saved:
    """Store what is valid; return the problems of what is not, for redisplay."""
    answers = validation.prune_hidden(questionnaire, posted.answers)
    problems = list(posted.problems)
    for _ in range(_REPAIR_ROUNDS):
        found = validation.schema_problems(questionnaire, answers)
        if not found:
            break
        problems += found
        _restore(answers, response.answers, found)
    else:
        answers = dict(response.answers)
    saved = storage.save_draft(
        session, response, questionnaire, answers, revision, lang, respondent
    )
    return Saved(saved, problems)


def _restore(answers: dict, previous: dict, problems: list[Problem]) -> None:
    """Put back the stored value (or nothing) where the new one is invalid."""
    for problem in problems:
        path = problem.path or ()
        if not path:
            continue
        old = get_in(previous, path)
        if old is None:
            del_in(answers, path)
        else:
            set_in(answers, path, old)
