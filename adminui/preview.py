"""A read-only preview of one section in two languages side by side, for content editors.

No response is made: every question of the section is listed (whatever `visible_if` says) with
its label, hint, rows, options and messages, each text with its state (engine.translation.texts).
"""

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from markupsafe import Markup

from engine.definition import media_images
from engine.definition.cldr_lists import COUNTRIES, LANGUAGES
from engine.definition.model import Question, Section
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import rich
from engine.translation.texts import Text

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
    image: str | None = None
    """A picture's SVG as a data: URL (drafts are previewed, never served)."""


def build(questionnaire: Questionnaire, section: Section, langs: list[str]) -> list[Item]:
    """Every text of `section`, in each of `langs`."""
    texts = _Texts(questionnaire, langs)
    items = [texts.item("title", f"sections.{section.id}.title", 0,
                        lambda lg: questionnaire.section_title(section, lg))]  # fmt: skip
    items += texts.picture(f"sections.{section.id}", 0)
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
    for row in question.rows:
        items.append(texts.item("row", f"{key}.rows.{row}", depth,
                                lambda lg, r=row: q.row_label(question, r, lg)))  # fmt: skip
        items += texts.picture(f"{key}.rows.{row}", depth)
    for value in _option_values(q, question):
        items.append(texts.item("option", value, depth,
                                lambda lg, v=value: q.option_label(question, v, lg)))  # fmt: skip
        items += texts.picture(media_images.option_target(q, question, value), depth)
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

    def picture(self, target: str, depth: int) -> list[Item]:
        """The picture beside the text `target` with its alternative texts, if it has one."""
        image = media_images.image_for(self.questionnaire, target)
        if image is None:
            return []
        key = ".".join(image.alt_key)
        item = self.item("image", key, depth, lambda lg: self.questionnaire.translations.get(
            lg, *image.alt_key))  # fmt: skip
        data = base64.b64encode(image.svg.encode("utf-8")).decode("ascii")
        return [replace(item, image=f"data:image/svg+xml;base64,{data}")] if item else []

    def _cell(self, text: Text | None, lang: str) -> Cell:
        if text is None:
            return Cell(Markup(""), lang, self.questionnaire.direction(lang), "missing")
        direction = self.questionnaire.direction(text.lang)
        return Cell(rich(text.value), text.lang, direction, text.state)
