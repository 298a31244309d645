"""Hypothesis strategies: answers that fit a questionnaire, and junk that does not."""

from hypothesis import strategies as st

from engine.model import Question
from engine.questionnaire import Questionnaire

_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)


def answers(questionnaire: Questionnaire) -> st.SearchStrategy[dict]:
    """Any set of valid answers (each question answered or not)."""
    top = [q for s in questionnaire.source.sections for q in s.questions]
    return _entry(questionnaire, top)


def _entry(questionnaire: Questionnaire, questions: list[Question]) -> st.SearchStrategy[dict]:
    answerable = [q for q in questions if questionnaire.qtype(q).has_answer]
    return st.fixed_dictionaries({}, optional={q.id: _value(questionnaire, q) for q in answerable})


def _value(questionnaire: Questionnaire, question: Question) -> st.SearchStrategy:
    choices = questionnaire.choices(question)
    widget = questionnaire.qtype(question).widget
    if question.type == "year":
        return st.integers(question.min or 1940, question.max or 2026)
    if question.type == "integer":
        return st.integers(question.min or 0, question.max if question.max is not None else 10**6)
    if widget == "checkboxes":
        return st.lists(st.sampled_from(choices), min_size=1, unique=True)
    if widget == "scale":
        return st.fixed_dictionaries(
            {}, optional={r: st.sampled_from(choices) for r in question.rows}
        )
    if choices:
        return st.sampled_from(choices)
    if widget == "group":
        return st.lists(_entry(questionnaire, question.questions), max_size=3)
    return _TEXT.filter(str.strip)


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT
JUNK = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TEXT, children, max_size=3),
    max_leaves=8,
)
