"""Country and language names, script direction and language endonyms from CLDR via Babel.

Babel ships CLDR, so country and language names exist in every language we serve without anyone
translating them, and right-to-left comes from the locale's data, never guessed from text.
"""

import re
from functools import cache, lru_cache

import icu
import pycountry
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.languages import get_official_languages

# Territory codes in CLDR that are not countries (EU, Eurozone, UN, pseudo-locales, unknown).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# ISO 639-3 type of a language people speak today ("L"); the others are ancient, historic,
# extinct, constructed or special ("zxx" no linguistic content, "und", "mul", "mis").
_LIVING = "L"
# What a code looks like: a name that looks like this is a code CLDR fell back to.
_CODE_LIKE = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*")
LOCALES = 256  # locales kept by tag: every language a questionnaire offers, many times over


@lru_cache(maxsize=LOCALES)
def babel_locale(tag: str, override: str | None = None) -> Locale:
    """The CLDR locale for a language tag such as 'fa-AF'; English if CLDR has none."""
    for candidate in (override, tag.replace("-", "_"), tag.split("-")[0]):
        if candidate:
            try:
                return Locale.parse(candidate)
            except (UnknownLocaleError, ValueError):
                continue
    return Locale.parse("en")


def direction(tag: str, override: str | None = None) -> str:
    """'rtl' or 'ltr', from the locale's CLDR data."""
    return "rtl" if babel_locale(tag, override).character_order == "right-to-left" else "ltr"


def endonym(tag: str, override: str | None = None) -> str:
    """The language's name in itself, e.g. 'العربية' for ar."""
    locale = babel_locale(tag, override)
    name = locale.languages.get(tag.replace("-", "_")) or locale.get_display_name(locale)
    return name[:1].upper() + name[1:]


@cache
def country_codes() -> tuple[str, ...]:
    territories = Locale.parse("en").territories
    return tuple(
        sorted(c for c in territories if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)
    )


@cache
def language_codes() -> tuple[str, ...]:
    """CLDR codes of living languages (ISO 639-3) with a real English name, as answer values."""
    english = Locale.parse("en").languages
    return tuple(
        sorted(c for c in english if "_" not in c and _living(c) and is_name(c, english[c]))
    )


def _living(code: str) -> bool:
    found = pycountry.languages.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    return found is not None and getattr(found, "type", None) == _LIVING


def is_name(code: str, name: str | None) -> bool:
    """Whether `name` is a real name for `code`, not the code or something that looks like one."""
    return bool(name) and name.casefold() != code.casefold() and not _CODE_LIKE.fullmatch(name)


def sort_key(locale: Locale):
    """A key that sorts names as people of `locale` expect (ICU collation, CLDR tailoring)."""
    return icu.Collator.createInstance(icu.Locale(str(locale))).getSortKey


def country_name(code: str, locale: Locale) -> str | None:
    return locale.territories.get(code)


def language_name(code: str, locale: Locale) -> str | None:
    name = locale.languages.get(code.replace("-", "_"))
    return name[:1].upper() + name[1:] if is_name(code, name) else None


def script(locale: Locale) -> str:
    """The ISO 15924 script a locale is written in ('Arab', 'Ethi', 'Cyrl', 'Latn'...)."""
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


def own_language_name(code: str) -> str | None:
    """The language's name in itself (endonym), where CLDR has a locale for it."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return language_name(code, locale)


def own_country_name(code: str) -> tuple[str, str] | None:
    """(the country's name in its first official language that CLDR has, that language)."""
    for language in get_official_languages(code, de_facto=True):
        for candidate in (f"{language}_{code}", language):
            try:
                name = Locale.parse(candidate).territories.get(code)
            except (UnknownLocaleError, ValueError):
                continue
            if name:
                return name, language
    return None


def text_script(text: str) -> str:
    """The script of the first letter of `text` ('Latn', 'Arab'...; 'Zyyy' if none)."""
    letter = next((c for c in text if c.isalpha()), "")
    return icu.Script.getScript(ord(letter)).getShortName() if letter else "Zyyy"
