"""The languages a questionnaire is offered in: own name, direction and CLDR locale."""

from dataclasses import dataclass

import pycountry

from engine.definition import cldr
from engine.definition.cldr_lists import FALLBACK, LANGUAGES
from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire


@dataclass(frozen=True)
class Language:
    tag: str
    name: str
    dir: str
    locale: str
    machine_translated: bool
    machine_speech: bool = False


def offered(questionnaire: Questionnaire) -> list[Language]:
    """One entry per translation file, sorted by the language's own name (once per version)."""
    return list(questionnaire.memo.get(("offered languages",), lambda: _offered(questionnaire)))


def _offered(questionnaire: Questionnaire) -> tuple[Language, ...]:
    languages = [describe(questionnaire, tag) for tag in questionnaire.languages()]
    return tuple(sorted(languages, key=lambda language: language.name.casefold()))


def describe(questionnaire: Questionnaire, tag: str) -> Language:
    file = questionnaire.translations.files.get(tag)
    locale = questionnaire.cldr.locales[tag]
    return Language(
        tag=tag,
        name=(file.native_name if file and file.native_name else locale.name),
        dir=locale.dir,
        locale=locale.locale,
        machine_translated=bool(file and file.machine_translated),
        machine_speech=any(c.machine for c in questionnaire.audio.get(tag, {}).values()),
    )


def name_in(questionnaire: Questionnaire | None, tag: str, lang: str) -> str:
    """The name of language `tag` for a reader of `lang` (e.g. a staff label language), never
    the code.

    As the questionnaire's language lists give it (CLDR, then its translation files), else
    CLDR's name of the tag or of its base language, else its own name.
    """
    question = _a_language_question(questionnaire)
    if question is not None:
        label = questionnaire.option_label(question, tag, lang)
        if label.value != tag and label.lang in (lang, FALLBACK):
            return label.value
    locale = cldr.babel_locale(lang)
    for code in (tag.replace("-", "_"), tag.split("-")[0]):
        name = cldr.language_name(code, locale)
        if name:
            return name
    known = pycountry.languages.get(**{"alpha_2" if len(tag) == 2 else "alpha_3": tag})
    return cldr.own_language_name(tag) or (known.name if known else tag)


def _a_language_question(questionnaire: Questionnaire | None) -> Question | None:
    if questionnaire is None:
        return None
    return next(
        (
            q
            for q in questionnaire.questions.values()
            if questionnaire.qtype(q).options == LANGUAGES
        ),
        None,
    )
