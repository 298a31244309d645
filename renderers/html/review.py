"""The "check your answers" page: every visible answer as text, section by section."""

from dataclasses import dataclass, field

from babel.numbers import format_decimal

from engine.definition import cldr
from engine.definition.model import Question, Section
from engine.questionnaire import text_lists, validation
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.responses.entries import ENTRY_ID
from renderers.html.bilingual import Bilingual, isolate_ltr, pair


@dataclass
class Line:
    """One answer; `text_lang` is set on free text: the language it was written in.

    `text_dir` is set on an answer in the page's language (options, numbers), so a label such
    as "A1 – ... (حتى 125 cc)" keeps the page's direction instead of its first letter's."""

    label: Bilingual
    text: str = ""
    lines: list["Line"] = field(default_factory=list)
    entries: list[list["Line"]] = field(default_factory=list)
    text_lang: str | None = None
    text_dir: str | None = None
    question_id: str = ""
    entry_ids: list[str] = field(default_factory=list)


@dataclass
class SectionSummary:
    section: Section
    title: Bilingual
    lines: list[Line]


def summarise(
    questionnaire: Questionnaire,
    sections: list[Section],
    answers: dict,
    lang: str,
    beside,
    answer_lang: str | None = None,
) -> list[SectionSummary]:
    """Every visible answer as text in `lang`; free text is marked as written in `answer_lang`."""
    return [
        SectionSummary(
            section,
            pair(
                questionnaire,
                lambda lg, s=section: questionnaire.section_title(s, lg),
                lang,
                beside,
            ),
            _lines(questionnaire, section.questions, answers, None, (lang, beside, answer_lang)),
        )
        for section in sections
    ]


def lines(
    questionnaire: Questionnaire, questions: list[Question], answers: dict, lang: str, beside
) -> list[Line]:
    """The visible answers to `questions` as text in `lang` (labels also in `beside`)."""
    return _lines(questionnaire, questions, answers, None, (lang, beside, None))


def _lines(questionnaire, questions: list[Question], answers, entry, langs) -> list[Line]:
    container = entry if entry is not None else answers
    lines = []
    for question in questions:
        value = container.get(question.id)
        if value in (None, "", [], {}) or not validation.visible(
            questionnaire, question, answers, entry
        ):
            continue
        lang, beside, _ = langs
        label = pair(questionnaire, lambda lg, q=question: questionnaire.label(q, lg), lang, beside)
        line = _line(questionnaire, question, value, label, answers, langs)
        line.question_id = question.id
        lines.append(line)
    return lines


def _line(questionnaire, question, value, label, answers, langs) -> Line:
    lang, beside, answer_lang = langs
    if question.questions:
        return Line(
            label,
            entries=[
                _lines(questionnaire, question.questions, answers, entry, langs) for entry in value
            ],
            entry_ids=[str(entry.get(ENTRY_ID, "")) for entry in value],
        )
    if question.rows:
        return Line(
            label,
            lines=[
                Line(
                    pair(
                        questionnaire,
                        lambda lg, r=row: questionnaire.row_label(question, r, lg),
                        lang,
                        beside,
                    ),
                    format_value(questionnaire, question, value[row], lang),
                    text_dir=questionnaire.direction(lang),
                )
                for row in question.rows
                if row in value
            ],
        )
    text = format_value(questionnaire, question, value, lang)
    free = is_free_text(questionnaire, question, value)
    if free:
        return Line(label, text=text, text_lang=answer_lang)
    return Line(label, text=text, text_dir=questionnaire.direction(lang))


def is_free_text(questionnaire: Questionnaire, question: Question, value: object) -> bool:
    """Text the person wrote (in the answers' language), not a code or a number."""
    return isinstance(value, str) and not questionnaire.choices(question)


def format_value(questionnaire: Questionnaire, question: Question, value: object, lang: str) -> str:
    """An answer as text in `lang`; Latin codes and terms in option labels isolated in RTL."""
    if isinstance(value, list):
        return text_lists.join([_option(questionnaire, question, v, lang) for v in value], lang)
    if questionnaire.choices(question):
        return _option(questionnaire, question, str(value), lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, format="0", locale=cldr.babel_locale(lang))  # no grouping
    return str(value)


def _option(questionnaire: Questionnaire, question: Question, value: str, lang: str) -> str:
    label = questionnaire.option_label(question, value, lang)
    return isolate_ltr(plain(label.value), questionnaire.direction(label.lang))
