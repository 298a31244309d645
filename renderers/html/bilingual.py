"""Texts shown in one language, or in two side by side, each part with its own lang and dir."""

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from engine.questionnaire import Questionnaire
from engine.richtext import rich
from engine.translations import Text


@dataclass(frozen=True)
class Part:
    """A questionnaire text ready to show: `value` is sanitised (engine.richtext)."""

    value: Markup
    lang: str
    dir: str


@dataclass(frozen=True)
class Bilingual:
    first: Part
    second: Part | None = None


def part(questionnaire: Questionnaire, text: Text) -> Part:
    """The single place a questionnaire text becomes something a page shows."""
    return Part(rich(text.value), text.lang, questionnaire.direction(text.lang))


def pair(
    questionnaire: Questionnaire,
    lookup: Callable[[str], Text | None],
    lang: str,
    beside: str | None,
) -> Bilingual | None:
    """`lookup(lang)` in the page's language, and in the `beside` language if one is chosen."""
    first = lookup(lang)
    if first is None:
        return None
    second = lookup(beside) if beside and beside != lang else None
    return Bilingual(part(questionnaire, first), part(questionnaire, second) if second else None)
