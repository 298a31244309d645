"""Texts shown in one language, or in two side by side, each part with its own lang and dir."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import g
from flask_babel import force_locale, get_locale, gettext
from markupsafe import Markup

from engine.app.i18n import find
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import rich
from engine.translation.texts import Text
from renderers.html.listen import Listen, control

LRI, PDI = "\u2066", "\u2069"
# Tags and entities are kept as they are; a run of Latin words and numbers joined by spaces or
# punctuation ("125 cc", "ISCED 6", "2020 0000 0000") is isolated left-to-right in RTL text.
_LTR_RUN = re.compile(
    r"<[^>]*>|&#?\w+;|[0-9A-Za-z][0-9A-Za-z³²]*(?:[ .,:/+\-–][0-9A-Za-z][0-9A-Za-z³²]*)+"
)


@dataclass(frozen=True)
class Part:
    """A questionnaire text ready to show: `value` is sanitised (engine.questionnaire.richtext)."""

    value: Markup
    lang: str
    dir: str
    listen: Listen | None = None


@dataclass(frozen=True)
class Bilingual:
    first: Part
    second: Part | None = None


def isolate_ltr(value: str, direction: str) -> str:
    """`value` with its Latin runs isolated left-to-right if it is right-to-left text."""
    if direction != "rtl":
        return value
    return _LTR_RUN.sub(lambda m: m[0] if m[0][0] in "<&" else f"{LRI}{m[0]}{PDI}", value)


def part(questionnaire: Questionnaire, text: Text, listen: bool = False) -> Part:
    """The single place a questionnaire text becomes something a page shows; with `listen`,
    with its "Listen" control if it has a clip (not for texts inside links and buttons)."""
    direction = questionnaire.direction(text.lang)
    value = rich(isolate_ltr(text.value, direction))
    return Part(value, text.lang, direction, control(questionnaire, text) if listen else None)


def pair(
    questionnaire: Questionnaire,
    lookup: Callable[[str], Text | None],
    lang: str,
    beside: str | None,
    listen: bool = False,
) -> Bilingual | None:
    """`lookup(lang)` in the page's language, and in the `beside` language if one is chosen."""
    first = lookup(lang)
    if first is None:
        return None
    second = lookup(beside) if beside and beside != lang else None
    return Bilingual(
        part(questionnaire, first, listen),
        part(questionnaire, second, listen) if second else None,
    )


def N_(message: str) -> str:
    """Marks an interface string for the catalogue; `ui` translates it."""
    return message


def ui(beside: str | None, message: str, **variables) -> Bilingual:
    """An interface string in the page's language and, translated too, in `beside`.

    A variable given as a `Bilingual` uses its part in the matching language. A string without
    variables is translated once per request ("Change" is asked for once per answer).
    """
    if variables:
        return _ui(beside, message, variables)
    kept = g.setdefault("ui_texts", {})
    key = (beside, message, g.lang, get_locale())
    if key not in kept:
        kept[key] = _ui(beside, message, variables)
    return kept[key]


def _ui(beside: str | None, message: str, variables: dict) -> Bilingual:
    first = Part(_translated(message, variables, "first"), g.lang, g.language.dir)
    language = find(beside) if beside and beside != g.lang else None
    if language is None:
        return Bilingual(first)
    with force_locale(language.locale):
        second = _translated(message, variables, "second")
    return Bilingual(first, Part(second, language.tag, language.dir))


MACHINE_NOTICE = N_(
    "Most texts in this language were translated by a machine. If something is unclear, "
    "ask the staff."
)


def machine_notice(beside: str | None) -> Bilingual | None:
    """The machine-translation notice in each shown language whose texts a machine made."""
    both = ui(beside, MACHINE_NOTICE)
    shown = [(both.first, g.language), (both.second, find(beside) if both.second else None)]
    parts = [text for text, language in shown if language and language.machine_translated]
    return Bilingual(*parts) if parts else None


def _translated(message: str, variables: dict, side: str) -> str:
    values = {
        key: (_side(value, side) if isinstance(value, Bilingual) else value)
        for key, value in variables.items()
    }
    return gettext(message, **values)


def _side(value: Bilingual, side: str) -> str:
    chosen = getattr(value, side) or value.first
    return chosen.value
