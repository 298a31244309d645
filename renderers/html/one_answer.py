"""Changing one answer from the check-answers page: a page with that question and its follow-ups.

The page is a part of the question's section (the same save, checks and follow-ups as the
section page); after saving, the respondent goes back to the check-answers page at that answer,
unless the answer revealed follow-up questions, which the same page then asks first.
"""

from flask import session, url_for

from engine.definition.model import Question, Section
from engine.questionnaire.loaded import Questionnaire

CHANGED_KEY = "answer_changed"


def part(questionnaire: Questionnaire, sections: list[Section], question_id: str) -> Section | None:
    """The question's section cut down to the question and the questions it reveals, or None
    if no section this respondent answers holds a question with this id at its top level."""
    for section in sections:
        ids = [q.id for q in section.questions]
        if question_id in ids:
            wanted = _followups(questionnaire, section.questions, question_id) | {question_id}
            questions = [q for q in section.questions if q.id in wanted]
            return section.model_copy(update={"questions": questions})
    return None


def _followups(questionnaire: Questionnaire, questions: list[Question], trigger: str) -> set[str]:
    """The ids of the questions whose `visible_if` names `trigger`, or one of those, and so on."""
    found: set[str] = set()
    names = {trigger}
    while names:
        new = {
            q.id
            for q in questions
            if q.id not in found and q.id in questionnaire.visible_if
            and questionnaire.visible_if[q.id].names & names
        }  # fmt: skip
        found |= new
        names = new
    return found


def anchor(question_id: str, entry_id: str | None = None) -> str:
    """The id of an answer (or of one entry of a group) on the check-answers page."""
    return f"answer-{question_id}" + (f"-{entry_id}" if entry_id else "")


def back_to_review(question_id: str, entry_id: str | None):
    """Where a saved change goes: the check-answers page at the answer, which takes the focus."""
    target = anchor(question_id, entry_id)
    session[CHANGED_KEY] = target
    return url_for("respondent.review_page", _anchor=target)


def changed() -> str | None:
    """The answer a change just saved (once), to give it the focus."""
    return session.pop(CHANGED_KEY, None)
