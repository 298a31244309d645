"""A read-only preview of one section in two languages side by side, for content editors.

No response is made: every question of the section is listed (whatever `visible_if` says) with
its label, hint, rows, options and messages, each text with its state (engine.translations).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markupsafe import Markup

from engine.cldr_lists import COUNTRIES, LANGUAGES
from engine.model import Question, Section
from engine.questionnaire import Questionnaire
from engine.richtext import rich
from engine.translations import Text

NAMED_BY_CLDR = (COUNTRIES, LANGUAGES)


@dataclass(frozen=True)
class Cell:
    value: Markup
    lang: str
    dir: str
    state: str


@dataclass(frozen=True)
class Item:
    """One text of the section: what it is (`kind`), its key, and one cell per language."""

    kind: str
    key: str
    depth: int
    cells: list[Cell]
    question_type: str | None = None


def build(questionnaire: Questionnaire, section: Section, langs: list[str]) -> list[Item]:
    """Every text of `section`, in each of `langs`."""
    texts = _Texts(questionnaire, langs)
    items = [texts.item("title", f"sections.{section.id}.title", 0,
                        lambda lg: questionnaire.section_title(section, lg))]  # fmt: skip
    intro = texts.item("intro", f"sections.{section.id}.intro", 0,
                       lambda lg: questionnaire.section_intro(section, lg))  # fmt: skip
    items += [intro] if intro else []
    for question in section.questions:
        items += _question(questionnaire, texts, question, 0)
    return items


def _question(q: Questionnaire, texts: "_Texts", question: Question, depth: int) -> list[Item]:
    key = f"questions.{question.id}"
    items = [texts.item("label", f"{key}.label", depth, lambda lg: q.label(question, lg),
                        question.type)]  # fmt: skip
    hint = texts.item("hint", f"{key}.hint", depth, lambda lg: q.hint(question, lg))
    items += [hint] if hint else []
    items += [
        texts.item(
            "row", f"{key}.rows.{row}", depth, lambda lg, r=row: q.row_label(question, r, lg)
        )
        for row in question.rows
    ]
    items += [
        texts.item("option", value, depth, lambda lg, v=value: q.option_label(question, v, lg))
        for value in _option_values(q, question)
    ]
    items += [
        texts.item(
            "message", f"messages.{c.message}", depth, lambda lg, m=c.message: q.message(m, lg)
        )
        for c in question.constraints
    ]
    for child in question.questions:
        items += _question(q, texts, child, depth + 1)
    return items


def _option_values(q: Questionnaire, question: Question) -> Iterator[str]:
    """The options editors write texts for: all but the names CLDR gives countries/languages."""
    if q.qtype(question).options in NAMED_BY_CLDR:
        return iter(question.extra_options)
    return iter(q.choices(question))


class _Texts:
    def __init__(self, questionnaire: Questionnaire, langs: list[str]):
        self.questionnaire, self.langs = questionnaire, langs

    def item(
        self,
        kind: str,
        key: str,
        depth: int,
        lookup: Callable[[str], Text | None],
        question_type: str | None = None,
    ) -> Item | None:
        found = [lookup(lang) for lang in self.langs]
        if all(text is None for text in found):
            return None
        cells = [self._cell(text, lang) for text, lang in zip(found, self.langs, strict=True)]
        return Item(kind, key, depth, cells, question_type)

    def _cell(self, text: Text | None, lang: str) -> Cell:
        if text is None:
            return Cell(Markup(""), lang, self.questionnaire.direction(lang), "missing")
        direction = self.questionnaire.direction(text.lang)
        return Cell(rich(text.value), text.lang, direction, text.state)
