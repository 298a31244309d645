"""The codebook of a questionnaire version: every variable, its type, values and labels."""

from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire


def build(questionnaire: Questionnaire) -> dict:
    """{"variables": [...]} in questionnaire order, with labels in every offered language."""
    languages = questionnaire.languages()
    variables = []
    for section in questionnaire.source.sections:
        for top in section.questions:
            for question in top.walk():
                if questionnaire.qtype(question).has_answer:
                    variables.append(_variable(questionnaire, section.id, question, languages))
    return {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "languages": languages,
        "variables": variables,
    }


def _variable(questionnaire: Questionnaire, section_id: str, question: Question, languages):
    describe = questionnaire.qtype(question).codebook
    return {
        "name": question.id,
        "section": section_id,
        "group": questionnaire.group_of.get(question.id),
        "type": question.type,
        "required": question.required,
        "label": {lang: questionnaire.label(question, lang).value for lang in languages},
        "rows": [
            {"name": row, "label": _labels(languages, questionnaire.row_label, question, row)}
            for row in question.rows
        ],
        "values": _values(questionnaire, question, languages),
        **({"details": describe(question)} if describe else {}),
    }


def _values(questionnaire: Questionnaire, question: Question, languages) -> list[dict]:
    """Each choice with its label in every language (one lookup of the labels per language)."""
    labels = {lang: questionnaire.option_labels(question, lang) for lang in languages}
    return [
        {"value": value, "label": {lang: labels[lang][value].value for lang in languages}}
        for value in questionnaire.choices(question)
    ]


def _labels(languages: list[str], lookup, question: Question, key: str) -> dict[str, str]:
    return {lang: lookup(question, key, lang).value for lang in languages}
