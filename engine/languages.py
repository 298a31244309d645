"""The languages a questionnaire is offered in: own name, direction and CLDR locale."""

from dataclasses import dataclass

from engine.questionnaire import Questionnaire


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
