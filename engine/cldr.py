"""Country and language names, script direction and language endonyms from CLDR via Babel.

Babel ships CLDR, so country and language names exist in every language we serve without anyone
translating them, and right-to-left comes from the locale's data, never guessed from text.
"""

from functools import cache

from babel import Locale, UnknownLocaleError

# Territory codes in CLDR that are not countries (EU, Eurozone, UN, pseudo-locales, unknown).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@cache
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
    """CLDR language codes without a region, as answer values."""
    return tuple(sorted(c for c in Locale.parse("en").languages if "_" not in c))


def country_name(code: str, locale: Locale) -> str | None:
    return locale.territories.get(code)


def language_name(code: str, locale: Locale) -> str | None:
    name = locale.languages.get(code.replace("-", "_"))
    return name[:1].upper() + name[1:] if name else None
