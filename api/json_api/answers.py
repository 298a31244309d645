"""The raw answers of a mapping, in questionnaire order, each coded value with its codebook
label in every label language (`LABEL_LANGUAGES`), as an export's codebook gives them."""

from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.responses.entries import ENTRY_ID


def coded(questionnaire: Questionnaire, answers: dict, languages: tuple[str, ...]) -> list[dict]:
    """Every stored answer: {question, value, codes} or, for a group, {question, entries}."""
    sections = questionnaire.sections(include_staff=True)
    tops = [top for section in sections for top in section.questions]
    return _answers(questionnaire, tops, answers or {}, languages)


def _answers(questionnaire: Questionnaire, questions: list[Question], answers: dict, languages):
    found = []
    for question in questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if questionnaire.qtype(question).has_children:
            entries = [_entry(questionnaire, question, entry, languages) for entry in value]
            found.append({"question": question.id, "entries": entries})
        elif questionnaire.qtype(question).has_answer:
            found.append(_answer(questionnaire, question, value, languages))
    return found


def _entry(questionnaire: Questionnaire, group: Question, entry: dict, languages) -> dict:
    answers = _answers(questionnaire, group.questions, entry, languages)
    return {"id": entry.get(ENTRY_ID), "answers": answers}


def _answer(questionnaire: Questionnaire, question: Question, value, languages) -> dict:
    answer = {"question": question.id, "value": value}
    if questionnaire.choices(question):
        labels = {lang: questionnaire.option_labels(question, lang) for lang in languages}
        answer["codes"] = [
            {"value": code, "label": {lang: plain(labels[lang][code].value) for lang in languages
                                      if code in labels[lang]}}
            for code in _codes(value)
        ]  # fmt: skip
    return answer


def _codes(value) -> list[str]:
    """The coded values in an answer: one value, a list of values, or a value per row."""
    if isinstance(value, dict):
        value = list(value.values())
    values = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(str(code) for code in values if code is not None))
